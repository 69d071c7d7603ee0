import BusinessBackend
import Foundation
import PlatformDaemon

extension MarketDaemon: LocalDevelopmentHooks {
    /// Listings of both demo companies with the market module, written once as each owner:
    /// Beacon's (two published, one draft) and Acme's (one published), so each sees the other's.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {
        try await BusinessBackendLocal.seedOnce(descriptor.name, topology: topology, state: state, companies: ["beacon", "acme"]) { owner in
            switch owner.org {
            case "beacon":
                try await owner.create("/v1/listings", Demo(title: "Tour bus, 12 berths", description: "Available March to May", price_minor: 45_000_00,
                                                            currency: "EUR", status: "published"))
                try await owner.create("/v1/listings", Demo(title: "Backline: two amp stacks and a drum kit", description: nil, price_minor: 800_00,
                                                            currency: "EUR", status: "published"))
                try await owner.create("/v1/listings", Demo(title: "Lighting rig (draft)", description: nil, price_minor: nil, currency: "EUR",
                                                            status: "draft"))
            default:
                try await owner.create("/v1/listings", Demo(title: "Festival stage, 20 × 14 m", description: "Weekends in June", price_minor: 12_000_00,
                                                            currency: "EUR", status: "published"))
            }
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
