import Foundation
import PlatformDaemon
import PlatformKit
import ServiceAuth

/// A minimal daemon for the kit's tests: a database and a *required* Redis, so readiness
/// must fail when either goes away.
public struct ProbeDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "probe", publicPort: 0, managementPort: 0, databasePrefix: "PROBE", redis: .required,
        callsServices: false, servesInternalRoutes: false)

    public init(context: DaemonContext) async throws {}
}

/// Environments for daemons started in tests: ephemeral ports, the given services.
public enum DaemonEnvironment {
    /// The common part: local, ports chosen by the system, quick readiness.
    public static func base(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "KISUM_ENV": "local", "LOG_LEVEL": "debug", "KISUM_INSTANCE": "test",
            "KISUM_PUBLIC_LISTEN": "127.0.0.1:0", "KISUM_MANAGEMENT_LISTEN": "127.0.0.1:0",
            "SHUTDOWN_GRACE": "5s",
            // Generous for a loaded 2-core CI machine; timeout behaviour has its own tests.
            "REDIS_CONNECT_TIMEOUT": "1s", "REDIS_COMMAND_TIMEOUT": "1s",
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Keys for a canary that calls itself: it signs as `canary` and trusts `canary`.
    public static func serviceKeys(signing key: ServiceKey = ServiceKey(), trusting others: [String: ServiceKey] = [:]) -> [String: String] {
        var trusted = ["canary=\(key.publicBase64)"]
        trusted += others.map { "\($0.key)=\($0.value.publicBase64)" }
        return ["INTERNAL_SIGNING_KEY": key.privateBase64, "INTERNAL_TRUSTED_KEYS": trusted.joined(separator: ",")]
    }
}

/// A daemon with no public listener (like Core): only the management listener exists.
public struct InternalOnlyDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "internal-only", publicPort: nil, managementPort: 0, databasePrefix: nil, redis: .none,
        callsServices: false, servesInternalRoutes: false)

    public init(context: DaemonContext) async throws {}
}
