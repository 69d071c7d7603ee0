import BusinessBackend
import Foundation
import PlatformDaemon

extension BasicDaemon: LocalDevelopmentHooks {
    /// Acme's address book and a first meeting, written once as Acme's owner.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {
        try await BusinessBackendLocal.seedOnce(descriptor.name, topology: topology, state: state, companies: ["acme"]) { owner in
            let ada = try await owner.create("/v1/contacts", ["name": "Ada Lovelace", "email": "ada@example.org", "phone": "+44 20 7946 0000"])
            try await owner.create("/v1/contacts", ["name": "Grace Hopper", "email": "grace@example.org"])
            let start = Date().addingTimeInterval(86_400)
            try await owner.create("/v1/events", DemoEvent(title: "Season planning", starts_at: start, ends_at: start.addingTimeInterval(3600),
                                                           location: "Main office", contact_id: ada))
        }
    }

    struct DemoEvent: Encodable, Sendable {
        let title: String
        let starts_at: Date
        let ends_at: Date
        let location: String
        let contact_id: String?
    }
}
