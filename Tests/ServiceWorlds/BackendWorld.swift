import AuthService
import CoreService
import Foundation
import HTTPTypes
import NIOCore
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PlatformTesting
import ServiceAuth

/// Core, Auth and one business backend, with three companies and five signed-in people:
/// - Acme and Beacon: Basic active and every add-on; Cobalt: every add-on, no Basic (no Core App);
/// - Ada owns Acme, Bo owns Beacon, Cy owns Cobalt (each granted every module);
/// - Vic views Acme (the viewer role, every module); Nia is an Acme member granted only `market`.
public struct BackendWorld: Sendable {
    public let core: RunningDaemon
    public let auth: AuthHarness
    public let backend: RunningDaemon
    public let backendDatabase: TestDatabase
    public let companies: [String: UUID]
    /// Core's internal routes as Admin calls them (catalog, subscriptions, add-ons).
    public let coreAdmin: ServiceHTTPClient
    /// Core's log lines.
    public let coreLogs: MemoryLogSink
    /// Access tokens by first name (lower case).
    public let tokens: [String: String]
    /// What started Auth and the backend, to start more instances of either.
    public let authSettings: [String: String]
    public let coreKey: ServiceKey
    public let backendEnvironment: [String: String]
    public static let modules = ["core_app", "finance", "market", "touring", "venue", "ai"]

    /// Sends `method path` to the backend's public listener as `person` in `org`.
    public func call(_ method: String, _ path: String, as person: String, org: String? = "acme", body: String? = nil,
                     headers extra: [(String, String)] = []) async throws -> TestResponse {
        var headers = [("authorization", "Bearer \(tokens[person] ?? person)")] + extra
        if let org { headers.append(("x-org", org)) }
        if body != nil { headers.append(("content-type", "application/json")) }
        return try await TestHTTP.send(method, backend.publicURL! + path, headers: headers, body: body)
    }

    /// Runs SQL on Auth's database (as its owner).
    public func authSQL(_ statement: String, _ parameters: [String?] = []) async throws {
        _ = try await auth.database.rows(statement, parameters)
    }

    /// Starts the world with `App` as the backend (its database variable `<PREFIX>_DB_URL`), runs
    /// `body`, and stops everything, also when `body` throws.
    /// `authEnvironment` is added to Auth's (e.g. a `REDIS_URL` where nothing listens).
    public static func with<App: DaemonApplication>(_ app: App.Type, environment extra: [String: String] = [:],
                                                    authEnvironment: [String: String] = [:],
                                                    _ body: (BackendWorld) async throws -> Void) async throws {
        let coreHarness = try await CoreHarness.start()
        try await withStopping(coreHarness.daemon) { core in
            let authSettings = coreHarness.authEnvironment.merging(["ACCESS_TOKEN_TTL": "15m"]) { $1 }.merging(authEnvironment) { $1 }
            try await AuthHarness.with(authSettings, core: coreHarness.coreKey) { auth in
                let coreAdmin = await coreHarness.adminClient()
                let companies = try await seed(coreAdmin, auth: auth)
                var tokens: [String: String] = [:]
                for person in ["ada", "bo", "cy", "vic", "nia"] { tokens[person] = try await signIn(auth, "\(person)@kisum.test") }
                let name = App.descriptor.name
                let database = try await TestDatabase.create(migrations: App.migrations)
                var environment = DaemonEnvironment.base([
                    "\(App.descriptor.databasePrefix!)_DB_URL": database.runtimeURL,
                    "INTERNAL_SIGNING_KEY": try require(auth.backends[name]).privateBase64,
                    "AUTH_INTERNAL_URL": auth.daemon.managementURL,
                    "AUTH_JWKS_URL": auth.daemon.publicURL! + "/.well-known/jwks.json",
                    "JWT_ISSUER": AuthHarness.issuer, "JWT_AUDIENCE": "kisum-test", "JWKS_CACHE_TTL": "5m",
                ])
                environment.merge(extra) { _, new in new }
                let backend = try await Daemon.start(App.self, environment: environment, sink: MemoryLogSink())
                try await withStopping(backend) { backend in
                    try await body(BackendWorld(core: core, auth: auth, backend: backend, backendDatabase: database, companies: companies,
                                                coreAdmin: coreAdmin, coreLogs: coreHarness.logs, tokens: tokens,
                                                authSettings: authSettings, coreKey: coreHarness.coreKey, backendEnvironment: environment))
                }
            }
        }
    }

    struct Package: Encodable, Sendable {
        let key: String
        let name: String
        let modules: [String]
    }

    /// Core's catalog and subscriptions, then Auth's companies, people, memberships and grants.
    private static func seed(_ client: ServiceHTTPClient, auth: AuthHarness) async throws -> [String: UUID] {
        func write(_ method: HTTPRequest.Method, _ path: String, _ body: some Encodable & Sendable) async throws {
            let reply = try await client.send(method, path, json: body, headers: [("idempotency-key", UUID().uuidString)])
            guard reply.status == 200 else { throw TestFailure("core \(path): \(reply.status) \(String(buffer: reply.body))") }
        }
        for module in modules { try await write(.post, "/internal/v1/catalog/modules", ["key": module, "name": module]) }
        try await write(.post, "/internal/v1/catalog/packages", Package(key: "basic", name: "Basic", modules: ["core_app"]))
        for module in modules.dropFirst() {
            try await write(.post, "/internal/v1/catalog/addons", ["key": "\(module)_addon", "name": module, "module": module])
        }
        let companies = ["acme": UUID(), "beacon": UUID(), "cobalt": UUID()]
        for (slug, id) in companies {
            if slug != "cobalt" {
                try await write(.put, "/internal/v1/companies/\(id)/subscription",
                                ["package_key": "basic", "status": "active", "period_start": "2026-01-01T00:00:00Z"])
            }
            for module in modules.dropFirst() {
                try await write(.put, "/internal/v1/companies/\(id)/addons/\(module)_addon",
                                ["status": "active", "period_start": "2026-01-01T00:00:00Z"])
            }
            _ = try await auth.database.rows("INSERT INTO companies (id, slug, name, status) VALUES ($1, $2, $2, 'approved')", [id.uuidString, slug])
        }
        let hash = try await PasswordHasher(parameters: .init(memoryKiB: 8192, iterations: 1)).hash("pw-pw-pw")
        let people: [(String, String, String, [String])] = [
            ("ada", "acme", "owner", modules), ("bo", "beacon", "owner", modules), ("cy", "cobalt", "owner", modules),
            ("vic", "acme", "viewer", modules), ("nia", "acme", "member", ["market"]),
        ]
        for (person, company, role, granted) in people {
            let user = UUID(), membership = UUID()
            _ = try await auth.database.rows("INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)",
                                             [user.uuidString, "\(person)@kisum.test", hash])
            _ = try await auth.database.rows("INSERT INTO memberships (id, user_id, company_id) VALUES ($1, $2, $3)",
                                             [membership.uuidString, user.uuidString, companies[company]!.uuidString])
            _ = try await auth.database.rows("INSERT INTO membership_roles SELECT $1, id FROM roles WHERE company_id IS NULL AND key = $2",
                                             [membership.uuidString, role])
            for module in granted {
                _ = try await auth.database.rows("INSERT INTO membership_module_grants VALUES ($1, $2)", [membership.uuidString, module])
            }
        }
        return companies
    }

    /// Signs `email` in at `auth` (any instance) with the world's password; its access token.
    public static func signIn(_ auth: AuthHarness, _ email: String) async throws -> String {
        let login = try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/login", headers: [("content-type", "application/json")],
                                            body: #"{"email":"\#(email)","password":"pw-pw-pw"}"#)
        guard login.status == 200, let token = try login.json()["access_token"] as? String else {
            throw TestFailure("signing in \(email): \(login.status) \(login.body)")
        }
        return token
    }
}
