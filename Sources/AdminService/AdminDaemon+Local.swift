import Foundation
import PlatformDaemon

extension AdminDaemon: LocalDevelopmentHooks {
    public static func localEnvironment(topology: LocalTopology) -> [String: String] {
        var environment: [String: String] = [:]  // Auth's addresses come with every enforcing daemon's setup
        if let core = topology.managementURLs["core"] { environment["CORE_INTERNAL_URL"] = core }
        environment["OPERATIONS_TARGETS"] = topology.managementURLs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ",")
        return environment
    }

    /// Admin has no demo data of its own: its audit trail starts empty.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {}
}
