import BusinessBackend
import Foundation
import PlatformDaemon

extension TouringDaemon: LocalDevelopmentHooks {
    /// Cobalt's spring tour and three of its shows, written once as Cobalt's owner.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {
        try await BusinessBackendLocal.seedOnce(descriptor.name, topology: topology, state: state, companies: ["cobalt"]) { owner in
            guard let tour = try await owner.create("/v1/tours", ["name": "Spring tour", "artist": "The Cobalts"]) else { return }
            for (date, city, status) in [("2027-03-12", "Lisbon", "confirmed"), ("2027-03-14", "Madrid", "confirmed"), ("2027-03-17", "Lyon", "hold")] {
                try await owner.create("/v1/tours/\(tour)/shows", ["date": date, "city": city, "status": status])
            }
        }
    }
}
