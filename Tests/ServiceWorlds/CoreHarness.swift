import CoreService
import Foundation
import PlatformDaemon
import PlatformKit
import PlatformTesting
import ServiceAuth

/// A Core daemon on its own database, as the worlds with Auth start it: it trusts an `admin`
/// and an `auth` key, and delivers its entitlement signals to the Auth that will listen on
/// `authPort` (started next, with `authKey`).
public struct CoreHarness: Sendable {
    public let daemon: RunningDaemon
    /// Core's own key (Auth trusts it), the keys Core trusts, and where Auth is to listen.
    public let coreKey: ServiceKey
    public let adminKey: ServiceKey
    public let authKey: ServiceKey
    public let authPort: Int
    /// Core's log lines.
    public let logs: MemoryLogSink

    public static func start() async throws -> CoreHarness {
        let coreKey = ServiceKey(), adminKey = ServiceKey(), authKey = ServiceKey()
        let database = try await TestDatabase.create(migrations: CoreDaemon.migrations!)
        let authPort = TestEnvironment.freePort()
        let logs = MemoryLogSink()
        let daemon = try await Daemon.start(CoreDaemon.self, environment: DaemonEnvironment.base([
            "CORE_DB_URL": database.runtimeURL, "INTERNAL_SIGNING_KEY": coreKey.privateBase64,
            "INTERNAL_TRUSTED_KEYS": "admin=\(adminKey.publicBase64),auth=\(authKey.publicBase64)",
            "AUTH_INTERNAL_URL": "http://127.0.0.1:\(authPort)", "OUTBOX_POLL_INTERVAL": "100ms",
        ]), sink: logs)
        return CoreHarness(daemon: daemon, coreKey: coreKey, adminKey: adminKey, authKey: authKey, authPort: authPort, logs: logs)
    }

    /// What Auth needs to talk to this Core and be reached by it.
    public var authEnvironment: [String: String] {
        ["KISUM_MANAGEMENT_LISTEN": "127.0.0.1:\(authPort)", "CORE_INTERNAL_URL": daemon.managementURL,
         "INTERNAL_SIGNING_KEY": authKey.privateBase64]
    }

    /// Core's internal routes as Admin calls them.
    public func adminClient() async -> ServiceHTTPClient {
        ServiceHTTPClient(callee: "core", baseURL: daemon.managementURL, credentials: await ServiceCredentialSigner(service: "admin", key: adminKey))
    }
}
