import AccessControl
import AuthService
import Foundation
import JWTKit
import NIOConcurrencyHelpers
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PlatformTesting
import ServiceAuth

/// An Auth daemon in this process on its own database, with fast key timings.
public struct AuthHarness: Sendable {
    public let daemon: RunningDaemon
    public let database: TestDatabase
    public let kek: String
    public let admin: ServiceKey
    public let core: ServiceKey
    /// The reference enforcing service (signs as `canary`).
    public let canary: ServiceKey
    /// Each business backend's service key (Auth trusts them all).
    public let backends: [String: ServiceKey]
    public let logs: MemoryLogSink
    public var finance: ServiceKey { backends["finance"]! }

    public static let issuer = "https://auth.test.kisum"

    /// `seedKey`: the database starts with an active signing key made once per test process
    /// (each first start would otherwise spend up to seconds of CPU on an RSA prime search, two
    /// dozen of them at once when the suite starts); false where a test watches the first
    /// start create its own.
    public static func start(_ extra: [String: String] = [:], core: ServiceKey = ServiceKey(),
                      database existing: TestDatabase? = nil, seedKey: Bool = true) async throws -> AuthHarness {
        let database: TestDatabase
        if let existing { database = existing } else { database = try await TestDatabase.create(migrations: AuthDaemon.migrations!) }
        let known = Self.keks.withLockedValue { keks in keks[database.name] }
        let kek = known ?? KeyEncryption.generateBase64()
        Self.keks.withLockedValue { $0[database.name] = kek }
        if seedKey && existing == nil { try await Self.seedSigningKey(database, kek: kek) }
        let admin = ServiceKey(), canary = ServiceKey()
        let backends = Dictionary(uniqueKeysWithValues: NetworkPolicy.businessBackends.map { ($0, ServiceKey()) })
        let trusted = (["admin=\(admin.publicBase64)", "core=\(core.publicBase64)", "canary=\(canary.publicBase64)"]
            + backends.map { "\($0.key)=\($0.value.publicBase64)" }).joined(separator: ",")
        var environment = DaemonEnvironment.base([
            "AUTH_DB_URL": database.runtimeURL, "AUTH_KEY_ENCRYPTION_KEY": kek,
            "JWT_ISSUER": issuer, "JWT_AUDIENCE": "kisum-test",
            "INTERNAL_SIGNING_KEY": ServiceKey().privateBase64,
            "INTERNAL_TRUSTED_KEYS": trusted,
            "ACCESS_TOKEN_TTL": "60s", "JWKS_CACHE_TTL": "1s", "KEY_PUBLISH_DELAY": "1s", "KEY_LIFECYCLE_INTERVAL": "200ms",
            "PASSWORD_ARGON2_MEMORY_KIB": "8192", "PASSWORD_ARGON2_ITERATIONS": "1",
            "AUTH_CACHE_INTEGRITY_KEY": KeyEncryption.generateBase64(), "LOGIN_RATE_LIMIT_PER_IP": "10000",
            "LOGIN_RATE_LIMIT_PER_EMAIL": "10000", "REFRESH_RATE_LIMIT_PER_IP": "10000",
            "CORE_INTERNAL_URL": "http://127.0.0.1:\(TestEnvironment.freePort())",
        ])
        environment.merge(extra) { _, new in new }
        let logs = MemoryLogSink()
        let daemon = try await Daemon.start(AuthDaemon.self, environment: environment, sink: logs)
        return AuthHarness(daemon: daemon, database: database, kek: kek, admin: admin, core: core, canary: canary, backends: backends,
                           logs: logs)
    }

    /// Starts one as `start` does, runs `body` with it, then stops it and waits, even when `body` throws.
    @discardableResult
    public static func with<Value>(_ extra: [String: String] = [:], core: ServiceKey = ServiceKey(), database existing: TestDatabase? = nil,
                            seedKey: Bool = true, _ body: (AuthHarness) async throws -> Value) async throws -> Value {
        let auth = try await start(extra, core: core, database: existing, seedKey: seedKey)
        return try await withStopping(auth, stop: { try await $0.stop() }, body)
    }

    /// `INTERNAL_TRUSTED_KEYS` as this instance has it: another instance given it accepts the same callers.
    public var trustedKeys: String {
        (["admin=\(admin.publicBase64)", "core=\(core.publicBase64)", "canary=\(canary.publicBase64)"]
            + backends.map { "\($0.key)=\($0.value.publicBase64)" }).joined(separator: ",")
    }

    /// Calls an internal route as `caller`.
    public func call(_ method: String, _ path: String, as caller: String = "admin", body: String? = nil,
              headers extra: [(String, String)] = []) async throws -> TestResponse {
        let key = caller == "core" ? core : caller == "canary" ? canary : backends[caller] ?? admin
        return try await TestHTTP.internalCall(method, daemon.managementURL + path, caller: caller, key: key, callee: "auth", body: body,
                                               headers: extra, idempotencyKey: nil)
    }

    /// Signs an access token with the key that is active in the database, the way Auth does,
    /// without going through the daemon.
    public func signWithActiveKey(ttl: Duration = .seconds(2)) async throws -> (token: String, kid: String) {
        let rows = try await LibPQConnection.run { [database] in
            try LibPQConnection(settings: database.admin).execute(
                "SELECT kid, encode(private_key_encrypted, 'base64') FROM signing_keys WHERE state = 'active'")
        }
        let kid = try require(rows.first?[0]), sealed = try require(rows.first?[1])
        let pem = try require(KeyEncryption(base64: kek)).derived(for: .signingKeys).open(Data(base64Encoded: sealed.replacingOccurrences(of: "\n", with: ""))!, kid: kid)
        let keys = await JWTKeyCollection().add(rsa: try Insecure.RSA.PrivateKey(pem: pem), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        let claims = AccessTokenClaims(issuer: Self.issuer, audience: "kisum-test", userID: UUID(), sessionID: UUID(),
                                       issuedAt: Date(), ttl: ttl)
        return (try await keys.sign(claims, kid: JWKIdentifier(string: kid)), kid)
    }

    /// Verifies `token` the way a business backend would: with nothing but the JWKS.
    public func verifyWithJWKS(_ token: String) async throws -> AccessTokenClaims {
        let jwks = try await TestHTTP.get(daemon.publicURL! + "/.well-known/jwks.json")
        let keys = try await JWTKeyCollection().add(jwksJSON: jwks.body)
        let kid = try require(JWTHeaderPeek.fields(of: token)?.kid)
        // Refuse an unknown kid outright (jwt-kit would otherwise fall back to a default key).
        guard jwks.body.contains("\"\(kid)\"") else { throw TestFailure("kid \(kid) is not published") }
        let claims = try await keys.verify(token, as: AccessTokenClaims.self)
        guard claims.iss.value == Self.issuer, claims.aud.value.contains("kisum-test") else { throw TestFailure("iss/aud") }
        return claims
    }

    public func stop() async throws { try await daemon.shutdown() }

    /// One key-encryption key per database, so a second instance on the same database (and the
    /// seeded key) opens what the first sealed.
    private static let keks = NIOLockedValueBox<[String: String]>([:])

    /// Made once per test process, on the key-generation thread.
    private static let sharedKey = Task { try await SigningKeyMaterial.generate() }

    private static func seedSigningKey(_ database: TestDatabase, kek: String) async throws {
        let material = try await sharedKey.value
        let sealed = try require(KeyEncryption(base64: kek)).derived(for: .signingKeys).seal(material.privatePEM, kid: material.kid)
        let jwk = String(decoding: try JSONEncoder().encode(material.publicJWK), as: UTF8.self)
        _ = try await database.rows("""
            INSERT INTO signing_keys (kid, state, private_key_encrypted, public_jwk, activate_at)
            VALUES ($1, 'active', decode($2, 'base64'), $3::jsonb, now())
            """, [material.kid, sealed.base64EncodedString(), jwk])
    }
}

public func require<T>(_ value: T?) throws -> T {
    guard let value else { throw TestFailure("missing value") }
    return value
}
