import AdminService
import AuthService
import CoreService
import Foundation
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PlatformTesting
import ServiceAuth
import Testing

/// Core, Auth and Admin running in this process on their own databases, wired as in
/// production (service credentials, JWKS), with a demo company and administrators:
/// - Acme (`acme`): Basic active and the Finance add-on; Ada is its owner (no platform role);
/// - root@ (platform_admin), ops@ (platform_operator), eve@ (platform_viewer).
struct PlatformWorld: Sendable {
    let core: RunningDaemon
    let auth: RunningDaemon
    let admin: RunningDaemon
    let adminDatabase: TestDatabase
    let authDatabase: TestDatabase
    let coreDatabase: TestDatabase
    let keys: [String: ServiceKey]
    let company: UUID
    let blackhole: BlackholeListener

    static let password = "correct-horse-battery"

    static func start(redis: String = TestEnvironment.redisURL, extraTargets: String = "") async throws -> PlatformWorld {
        let keys = ["core": ServiceKey(), "auth": ServiceKey(), "admin": ServiceKey(), "finance": ServiceKey()]
        func trusted(_ names: [String]) -> String { names.map { "\($0)=\(keys[$0]!.publicBase64)" }.joined(separator: ",") }
        async let coreDB = TestDatabase.create(migrations: CoreDaemon.migrations!)
        async let authDB = TestDatabase.create(migrations: AuthDaemon.migrations!)
        async let adminDB = TestDatabase.create(migrations: AdminDaemon.migrations!)
        let (coreDatabase, authDatabase, adminDatabase) = try await (coreDB, authDB, adminDB)
        let authManagement = TestEnvironment.freePort(), authPublic = TestEnvironment.freePort()
        let issuer = "http://127.0.0.1:\(authPublic)"
        let core = try await Daemon.start(CoreDaemon.self, environment: DaemonEnvironment.base([
            "CORE_DB_URL": coreDatabase.runtimeURL, "INTERNAL_SIGNING_KEY": keys["core"]!.privateBase64,
            "INTERNAL_TRUSTED_KEYS": trusted(["admin", "auth"]), "AUTH_INTERNAL_URL": "http://127.0.0.1:\(authManagement)",
            "OUTBOX_POLL_INTERVAL": "100ms",
        ]), sink: MemoryLogSink())
        var started = [core]  // the latest first: stopped in that order if a later step fails
        do {
            let auth = try await Daemon.start(AuthDaemon.self, environment: DaemonEnvironment.base([
                "KISUM_PUBLIC_LISTEN": "127.0.0.1:\(authPublic)", "KISUM_MANAGEMENT_LISTEN": "127.0.0.1:\(authManagement)",
                "AUTH_DB_URL": authDatabase.runtimeURL, "REDIS_URL": redis, "CORE_INTERNAL_URL": core.managementURL,
                "INTERNAL_SIGNING_KEY": keys["auth"]!.privateBase64, "INTERNAL_TRUSTED_KEYS": trusted(["admin", "core", "finance"]),
                "AUTH_KEY_ENCRYPTION_KEY": KeyEncryption.generateBase64(), "AUTH_CACHE_INTEGRITY_KEY": KeyEncryption.generateBase64(),
                "JWT_ISSUER": issuer, "JWT_AUDIENCE": "kisum-test", "ACCESS_TOKEN_TTL": "15m", "JWKS_CACHE_TTL": "1s",
                "KEY_PUBLISH_DELAY": "1s", "KEY_LIFECYCLE_INTERVAL": "200ms",
                "PASSWORD_ARGON2_MEMORY_KIB": "8192", "PASSWORD_ARGON2_ITERATIONS": "1",
                "LOGIN_RATE_LIMIT_PER_IP": "10000", "LOGIN_RATE_LIMIT_PER_EMAIL": "10000",
            ]), sink: MemoryLogSink())
            started.insert(auth, at: 0)
            let blackhole = try BlackholeListener()
            var targets = "core=\(core.managementURL),auth=\(auth.managementURL)"
            if !extraTargets.isEmpty { targets += "," + extraTargets.replacingOccurrences(of: "BLACKHOLE", with: "http://127.0.0.1:\(blackhole.port)") }
            let admin = try await Daemon.start(AdminDaemon.self, environment: DaemonEnvironment.base([
                "ADMIN_DB_URL": adminDatabase.runtimeURL, "INTERNAL_SIGNING_KEY": keys["admin"]!.privateBase64,
                "AUTH_INTERNAL_URL": auth.managementURL, "CORE_INTERNAL_URL": core.managementURL,
                "AUTH_JWKS_URL": auth.publicURL! + "/.well-known/jwks.json", "JWT_ISSUER": issuer, "JWT_AUDIENCE": "kisum-test",
                "OPERATIONS_TARGETS": targets, "OPERATIONS_TIMEOUT": "2s",
            ]), sink: MemoryLogSink())
            started.insert(admin, at: 0)
            let world = PlatformWorld(core: core, auth: auth, admin: admin, adminDatabase: adminDatabase, authDatabase: authDatabase,
                                      coreDatabase: coreDatabase, keys: keys, company: UUID(), blackhole: blackhole)
            try await world.seed()
            return world
        } catch {
            try? await shutdownAll(started)
            throw error
        }
    }

    /// Starts one as `start` does, runs `body` with it, then stops it and waits, even when `body` throws.
    @discardableResult
    static func with<Value>(redis: String = TestEnvironment.redisURL, extraTargets: String = "",
                            _ body: (PlatformWorld) async throws -> Value) async throws -> Value {
        let world = try await start(redis: redis, extraTargets: extraTargets)
        // Three daemons one after the other, each bounded at 45 s by its own shutdown.
        return try await withStopping(world, within: .seconds(150), stop: { try await shutdownAll($0.daemons) }, body)
    }

    /// Admin, Auth and Core: the order to stop them in.
    var daemons: [RunningDaemon] { [admin, auth, core] }

    /// Stops every daemon, ignoring failures; for callers outside `with` (which reports them).
    func stop() async { try? await shutdownAll(daemons) }

    /// Calls an internal route of `service` as `caller`.
    func call(_ service: RunningDaemon, _ method: String, _ path: String, as caller: String = "admin", body: String? = nil) async throws -> TestResponse {
        try await TestHTTP.internalCall(method, service.managementURL + path, caller: caller, key: keys[caller]!,
                                        callee: service.managementURL == core.managementURL ? "core" : "auth", body: body)
    }

    private func seed() async throws {
        #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.managementURL + "/ready").status == 200 })
        for module in ["core_app", "finance"] {
            try await ok(call(core, "POST", "/internal/v1/catalog/modules", body: #"{"key":"\#(module)","name":"\#(module)"}"#))
        }
        try await ok(call(core, "POST", "/internal/v1/catalog/packages", body: #"{"key":"basic","name":"Basic","modules":["core_app"]}"#))
        try await ok(call(core, "POST", "/internal/v1/catalog/addons", body: #"{"key":"finance_addon","name":"Finance","module":"finance"}"#))
        let period = #""status":"active","period_start":"2026-01-01T00:00:00Z""#
        try await ok(call(core, "PUT", "/internal/v1/companies/\(company)/subscription", body: #"{"package_key":"basic",\#(period)}"#))
        try await ok(call(core, "PUT", "/internal/v1/companies/\(company)/addons/finance_addon", body: "{\(period)}"))
        try await ok(call(auth, "POST", "/internal/v1/companies", body: #"{"id":"\#(company)","slug":"acme","name":"Acme","status":"approved"}"#))
        let ada = try await ok(call(auth, "POST", "/internal/v1/users", body: #"{"email":"ada@acme.test","password":"\#(Self.password)"}"#))
        try await ok(call(auth, "POST", "/internal/v1/memberships", body: """
            {"user_id":"\(try ada.json()["id"] as! String)","company_id":"\(company)","roles":["owner"],"modules":["core_app","finance"]}
            """))
        for (name, role) in [("root", "platform_admin"), ("ops", "platform_operator"), ("eve", "platform_viewer")] {
            try await ok(call(auth, "POST", "/internal/v1/users",
                              body: #"{"email":"\#(name)@kisum.test","password":"\#(Self.password)","platform_roles":["\#(role)"]}"#))
        }
    }

    @discardableResult
    private func ok(_ response: TestResponse) throws -> TestResponse {
        guard (200..<300).contains(response.status) else { throw TestFailure("seed: \(response.status) \(response.body)") }
        return response
    }

    /// Signs in and returns (access token, session id).
    func login(_ email: String) async throws -> (token: String, session: String) {
        let reply = try await TestHTTP.send("POST", auth.publicURL! + "/auth/login", headers: [("content-type", "application/json")],
                                            body: #"{"email":"\#(email)","password":"\#(Self.password)"}"#)
        let body = try reply.json()
        guard let token = body["access_token"] as? String, let session = body["session_id"] as? String else {
            throw TestFailure("login \(email): \(reply.status) \(reply.body)")
        }
        return (token, session.lowercased())
    }

    /// Calls Admin's public API with `token`.
    func admin(_ method: String, _ path: String, token: String?, body: String? = nil) async throws -> TestResponse {
        var headers: [(String, String)] = []
        if let token { headers.append(("authorization", "Bearer \(token)")) }
        if body != nil { headers.append(("content-type", "application/json")) }
        return try await TestHTTP.send(method, admin.publicURL! + path, headers: headers, body: body)
    }

    /// The modules of Ada's access snapshot in Acme.
    func modules(_ token: String) async throws -> [String] {
        let reply = try await TestHTTP.get(auth.publicURL! + "/auth/me/access", headers: [("authorization", "Bearer \(token)"), ("x-org", "acme")])
        guard reply.status == 200 else { throw TestFailure("me/access: \(reply.status) \(reply.body)") }
        return (try reply.json()["modules"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
    }
}
