import BusinessBackend
import Foundation
import PlatformDaemon

extension FinanceDaemon: LocalDevelopmentHooks {
    /// Acme's month so far and its budgets, written once as Acme's owner.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {
        try await BusinessBackendLocal.seedOnce(descriptor.name, topology: topology, state: state, companies: ["acme"]) { owner in
            let month = String(ISO8601DateFormatter().string(from: Date()).prefix(7))
            for (amount, category, counterparty) in [(1_250_000, "tickets", "Box office"), (-320_000, "venue", "Hall rental"),
                                                     (-85_000, "travel", "Rail"), (-40_000, "catering", "Caterer")] {
                try await owner.create("/v1/transactions", Demo(amount_minor: amount, currency: "EUR", category: category,
                                                                booked_on: month + "-01", counterparty: counterparty),
                                       idempotencyKey: "demo-\(month)-\(category)")
            }
            for (category, amount) in [("venue", 300_000), ("travel", 100_000), ("catering", 50_000)] {
                try await owner.put("/v1/budgets", Budget(month: month, category: category, currency: "EUR", amount_minor: amount))
            }
        }
    }

    struct Demo: Encodable, Sendable {
        let amount_minor: Int
        let currency: String
        let category: String
        let booked_on: String
        let counterparty: String
    }

    struct Budget: Encodable, Sendable {
        let month: String
        let category: String
        let currency: String
        let amount_minor: Int
    }
}
