import CoreService
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import PlatformDaemon
import PlatformKit
import PlatformTesting
import ServiceAuth

/// Keys of the services that talk to Core in these tests.
struct TestKeys: Sendable {
    let core = ServiceKey()
    let auth = ServiceKey()
    let admin = ServiceKey()
    let finance = ServiceKey()
}

/// A Core daemon in this process on its own database.
struct CoreHarness: Sendable {
    let daemon: RunningDaemon
    let database: TestDatabase
    let keys: TestKeys
    let logs: MemoryLogSink

    static func start(keys: TestKeys = TestKeys(), database existing: TestDatabase? = nil, authURL: String) async throws -> CoreHarness {
        let database: TestDatabase
        if let existing { database = existing } else { database = try await TestDatabase.create(migrations: CoreDaemon.migrations!) }
        let logs = MemoryLogSink()
        let daemon = try await Daemon.start(CoreDaemon.self, environment: DaemonEnvironment.base([
            "CORE_DB_URL": database.runtimeURL,
            "INTERNAL_SIGNING_KEY": keys.core.privateBase64,
            "INTERNAL_TRUSTED_KEYS": "auth=\(keys.auth.publicBase64),admin=\(keys.admin.publicBase64),finance=\(keys.finance.publicBase64)",
            "AUTH_INTERNAL_URL": authURL, "OUTBOX_POLL_INTERVAL": "100ms", "OUTBOX_MAX_BACKOFF": "400ms", "BOUNDARY_SWEEP_INTERVAL": "200ms",
        ]), sink: logs)
        return CoreHarness(daemon: daemon, database: database, keys: keys, logs: logs)
    }

    /// Starts one as `start` does, runs `body` with it, then stops it and waits, even when `body` throws.
    @discardableResult
    static func with<Value>(keys: TestKeys = TestKeys(), database existing: TestDatabase? = nil, authURL: String,
                            _ body: (CoreHarness) async throws -> Value) async throws -> Value {
        let core = try await start(keys: keys, database: existing, authURL: authURL)
        return try await withStopping(core, stop: { try await $0.stop() }, body)
    }

    var url: String { daemon.managementURL }

    /// A Core with a small catalog (modules, a Basic package with core_app, three add-ons) for
    /// `body`; stopped afterwards, also when seeding fails.
    @discardableResult
    static func withSeeded<Value>(_ body: (CoreHarness) async throws -> Value) async throws -> Value {
        try await with(authURL: "http://127.0.0.1:\(TestEnvironment.freePort())") { core in
            for module in ["core_app", "finance", "market", "ai"] {
                try await core.expectOK("POST", "/internal/v1/catalog/modules", #"{"key":"\#(module)","name":"\#(module)"}"#)
            }
            try await core.expectOK("POST", "/internal/v1/catalog/packages", #"{"key":"basic","name":"Basic","modules":["core_app"]}"#)
            for module in ["finance", "market", "ai"] {
                try await core.expectOK("POST", "/internal/v1/catalog/addons", #"{"key":"\#(module)_addon","name":"\#(module)","module":"\#(module)"}"#)
            }
            return try await body(core)
        }
    }

    /// Calls as Admin and fails unless the answer is 200.
    @discardableResult
    func expectOK(_ method: String, _ path: String, _ body: String? = nil) async throws -> TestResponse {
        let response = try await call(method, path, body: body)
        guard response.status == 200 else { throw TestFailure("\(method) \(path): \(response.status) \(response.body)") }
        return response
    }

    /// Calls Core as `caller` (signing with that caller's key).
    func call(_ method: String, _ path: String, as caller: String = "admin", body: String? = nil,
              idempotencyKey: String? = UUID().uuidString) async throws -> TestResponse {
        let key = switch caller {
        case "auth": keys.auth
        case "finance": keys.finance
        default: keys.admin
        }
        return try await TestHTTP.internalCall(method, url + path, caller: caller, key: key, callee: "core", body: body,
                                               idempotencyKey: idempotencyKey)
    }

    func stop() async throws { try await daemon.shutdown() }
}

/// Auth's invalidation route, standing in for the Auth daemon (which verifies Core's real
/// service credential): records what it receives, and can be told to fail.
struct AuthStandIn: DaemonApplication {
    static let descriptor = DaemonDescriptor(
        name: "auth", publicPort: nil, managementPort: 0, databasePrefix: nil, redis: .none,
        callsServices: false, servesInternalRoutes: true)

    static let received = NIOLockedValueBox<[String: [(UUID, Int64)]]>([:])
    static let failing = NIOLockedValueBox<Set<String>>([])

    let context: DaemonContext
    init(context: DaemonContext) async throws { self.context = context }

    func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        let instance = context.configuration.string("KISUM_INSTANCE") ?? ""
        context.internalRoutes(on: router, path: "/internal/v1", callers: ["core"])
            .post("entitlements/invalidated") { request, context in
                struct Signal: Decodable { let company_id: UUID; let entitlement_version: Int64 }
                let signal = try await request.decodeJSON(as: Signal.self, context: context)
                if Self.failing.withLockedValue({ $0.contains(instance) }) {
                    throw PlatformError(.dependencyUnavailable, "standing in for a failing Auth")
                }
                Self.received.withLockedValue { $0[instance, default: []].append((signal.company_id, signal.entitlement_version)) }
                return ["ok": true]
            }
    }

    /// Starts one; `instance` keys what it receives.
    static func start(trusting core: ServiceKey, instance: String, port: Int = 0) async throws -> RunningDaemon {
        try await Daemon.start(AuthStandIn.self, environment: DaemonEnvironment.base([
            "KISUM_INSTANCE": instance, "KISUM_MANAGEMENT_LISTEN": "127.0.0.1:\(port)",
            "INTERNAL_TRUSTED_KEYS": "core=\(core.publicBase64)",
        ]), sink: MemoryLogSink())
    }

    /// Starts one as `start` does, runs `body` with it, then shuts it down and waits, even when `body` throws.
    @discardableResult
    static func with<Value>(trusting core: ServiceKey, instance: String, port: Int = 0,
                            _ body: (RunningDaemon) async throws -> Value) async throws -> Value {
        let daemon = try await start(trusting: core, instance: instance, port: port)
        return try await withStopping(daemon, body)
    }

    static func signals(_ instance: String) -> [(UUID, Int64)] { received.withLockedValue { $0[instance] ?? [] } }
}
