import Foundation
import PlatformDaemon

extension AdminDaemon: LocalDevelopmentHooks {
    public static func localEnvironment(topology: LocalTopology) -> [String: String] {
        var environment: [String: String] = [:]
        if let auth = topology.managementURLs["auth"] { environment["AUTH_INTERNAL_URL"] = auth }
        if let core = topology.managementURLs["core"] { environment["CORE_INTERNAL_URL"] = core }
        if let auth = topology.publicURLs["auth"] {
            environment["AUTH_JWKS_URL"] = auth + "/.well-known/jwks.json"
            environment["JWT_ISSUER"] = auth
        }
        environment["OPERATIONS_TARGETS"] = topology.managementURLs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ",")
        return environment
    }

    /// Admin has no demo data of its own: its audit trail starts empty.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {}
}
