import BusinessBackend
import Foundation
import PlatformDaemon

extension VenueDaemon: LocalDevelopmentHooks {
    /// Cobalt's hall and two bookings of it (one confirmed, one held), written once as Cobalt's owner.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {
        try await BusinessBackendLocal.seedOnce(descriptor.name, topology: topology, state: state, companies: ["cobalt"]) { owner in
            guard let hall = try await owner.create("/v1/venues", Hall(name: "Cobalt Hall", city: "Lyon", capacity: 1200)) else { return }
            let evening = Date().addingTimeInterval(7 * 86_400)
            try await owner.create("/v1/venues/\(hall)/bookings", Booking(title: "Spring tour: Lyon", starts_at: evening,
                                                                         ends_at: evening.addingTimeInterval(4 * 3600), status: "confirmed"))
            try await owner.create("/v1/venues/\(hall)/bookings", Booking(title: "Jazz night (pencilled in)", starts_at: evening,
                                                                         ends_at: evening.addingTimeInterval(3 * 3600), status: "hold"))
        }
    }

    struct Hall: Encodable, Sendable {
        let name: String
        let city: String
        let capacity: Int
    }

    struct Booking: Encodable, Sendable {
        let title: String
        let starts_at: Date
        let ends_at: Date
        let status: String
    }
}
