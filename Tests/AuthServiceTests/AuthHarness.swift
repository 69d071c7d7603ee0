import AccessControl
import AuthService
import Foundation
import JWTKit
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PlatformTesting
import ServiceAuth

/// An Auth daemon in this process on its own database, with fast key timings.
struct AuthHarness {
    let daemon: RunningDaemon
    let database: TestDatabase
    let kek: String
    let admin: ServiceKey
    let core: ServiceKey
    let finance: ServiceKey
    let logs: MemoryLogSink

    static let issuer = "https://auth.test.kisum"

    static func start(_ extra: [String: String] = [:], core: ServiceKey = ServiceKey(),
                      database existing: TestDatabase? = nil) async throws -> AuthHarness {
        let database: TestDatabase
        if let existing { database = existing } else { database = try await TestDatabase.create(migrations: AuthDaemon.migrations!) }
        let kek = KeyEncryption.generateBase64(), admin = ServiceKey(), finance = ServiceKey()
        var environment = DaemonEnvironment.base([
            "AUTH_DB_URL": database.runtimeURL, "AUTH_KEY_ENCRYPTION_KEY": kek,
            "JWT_ISSUER": issuer, "JWT_AUDIENCE": "kisum-test",
            "INTERNAL_SIGNING_KEY": ServiceKey().privateBase64,
            "INTERNAL_TRUSTED_KEYS": "admin=\(admin.publicBase64),core=\(core.publicBase64),finance=\(finance.publicBase64)",
            "ACCESS_TOKEN_TTL": "60s", "JWKS_CACHE_TTL": "1s", "KEY_PUBLISH_DELAY": "1s", "KEY_LIFECYCLE_INTERVAL": "200ms",
            "PASSWORD_ARGON2_MEMORY_KIB": "8192", "PASSWORD_ARGON2_ITERATIONS": "1",
            "AUTH_CACHE_INTEGRITY_KEY": KeyEncryption.generateBase64(), "LOGIN_RATE_LIMIT_PER_IP": "10000",
            "LOGIN_RATE_LIMIT_PER_EMAIL": "10000", "REFRESH_RATE_LIMIT_PER_IP": "10000",
            "CORE_INTERNAL_URL": "http://127.0.0.1:\(TestEnvironment.freePort())",
        ])
        environment.merge(extra) { _, new in new }
        let logs = MemoryLogSink()
        let daemon = try await Daemon.start(AuthDaemon.self, environment: environment, sink: logs)
        return AuthHarness(daemon: daemon, database: database, kek: kek, admin: admin, core: core, finance: finance, logs: logs)
    }

    /// Calls an internal route as `caller`.
    func call(_ method: String, _ path: String, as caller: String = "admin", body: String? = nil,
              headers extra: [(String, String)] = []) async throws -> TestResponse {
        let key = caller == "core" ? core : caller == "finance" ? finance : admin
        return try await TestHTTP.internalCall(method, daemon.managementURL + path, caller: caller, key: key, callee: "auth", body: body,
                                               headers: extra, idempotencyKey: nil)
    }

    /// Signs an access token with the key that is active in the database, the way Auth does,
    /// without going through the daemon.
    func signWithActiveKey(ttl: Duration = .seconds(2)) async throws -> (token: String, kid: String) {
        let rows = try await LibPQConnection.run { [database] in
            try LibPQConnection(settings: database.admin).execute(
                "SELECT kid, encode(private_key_encrypted, 'base64') FROM signing_keys WHERE state = 'active'")
        }
        let kid = try require(rows.first?[0]), sealed = try require(rows.first?[1])
        let pem = try require(KeyEncryption(base64: kek)).open(Data(base64Encoded: sealed.replacingOccurrences(of: "\n", with: ""))!, kid: kid)
        let keys = await JWTKeyCollection().add(rsa: try Insecure.RSA.PrivateKey(pem: pem), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        let claims = AccessTokenClaims(issuer: Self.issuer, audience: "kisum-test", userID: UUID(), sessionID: UUID(),
                                       issuedAt: Date(), ttl: ttl)
        return (try await keys.sign(claims, kid: JWKIdentifier(string: kid)), kid)
    }

    /// Verifies `token` the way a business backend would: with nothing but the JWKS.
    func verifyWithJWKS(_ token: String) async throws -> AccessTokenClaims {
        let jwks = try await TestHTTP.get(daemon.publicURL! + "/.well-known/jwks.json")
        let keys = try await JWTKeyCollection().add(jwksJSON: jwks.body)
        let kid = try require(JWTHeaderPeek.fields(of: token)?.kid)
        // Refuse an unknown kid outright (jwt-kit would otherwise fall back to a default key).
        guard jwks.body.contains("\"\(kid)\"") else { throw TestFailure("kid \(kid) is not published") }
        let claims = try await keys.verify(token, as: AccessTokenClaims.self)
        guard claims.iss.value == Self.issuer, claims.aud.value.contains("kisum-test") else { throw TestFailure("iss/aud") }
        return claims
    }

    func stop() async throws { try await daemon.shutdown() }
}

func require<T>(_ value: T?) throws -> T {
    guard let value else { throw TestFailure("missing value") }
    return value
}
