import BusinessBackend
import Foundation
import PlatformDaemon

extension AIDaemon: LocalDevelopmentHooks {
    /// One summary for Beacon (so its usage shows a record), asked once as Beacon's owner of the
    /// built-in local provider.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {
        try await BusinessBackendLocal.seedOnce(descriptor.name, topology: topology, state: state, companies: ["beacon"]) { owner in
            try await owner.create("/v1/assist", ["task": "summarize", "text": """
                Beacon Touring plans a spring run of twelve shows. The tour bus is booked from March. Ticket sales open in January. \
                The backline is shared with the support act. Sales in the first week decide whether a second Lisbon show is added.
                """])
        }
    }
}
