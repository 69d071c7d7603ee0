import Foundation
import PlatformDaemon

extension AuthDaemon: LocalDevelopmentHooks {
    public static func localEnvironment(topology: LocalTopology) -> [String: String] {
        var environment: [String: String] = [:]
        if let core = topology.managementURLs["core"] { environment["CORE_INTERNAL_URL"] = core }
        if let own = topology.publicURLs["auth"] { environment["JWT_ISSUER"] = own }
        return environment
    }

    public static func localSecrets() -> [String: @Sendable () -> String] {
        ["AUTH_KEY_ENCRYPTION_KEY": { KeyEncryption.generateBase64() },
         "AUTH_CACHE_INTEGRITY_KEY": { KeyEncryption.generateBase64() }]
    }

    /// Identity demo data arrives with the Auth routes that manage it (next increment).
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {}
}
