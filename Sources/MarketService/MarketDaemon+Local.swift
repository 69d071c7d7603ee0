import BusinessBackend
import Foundation
import PlatformDaemon

extension MarketDaemon: LocalDevelopmentHooks {
    /// Beacon's listings on the market (two published, one draft), written once as Beacon's owner.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {
        try await BusinessBackendLocal.seedOnce(descriptor.name, topology: topology, state: state, company: "beacon") { owner in
            try await owner.create("/v1/listings", Demo(title: "Tour bus, 12 berths", description: "Available March to May", price_minor: 45_000_00,
                                                        currency: "EUR", status: "published"))
            try await owner.create("/v1/listings", Demo(title: "Backline: two amp stacks and a drum kit", description: nil, price_minor: 800_00,
                                                        currency: "EUR", status: "published"))
            try await owner.create("/v1/listings", Demo(title: "Lighting rig (draft)", description: nil, price_minor: nil, currency: "EUR", status: "draft"))
        }
    }

    struct Demo: Encodable, Sendable {
        let title: String
        let description: String?
        let price_minor: Int?
        let currency: String
        let status: String
    }
}
