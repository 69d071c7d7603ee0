import Crypto
import Foundation
import Hummingbird
import Logging
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import Prometheus
import ServiceLifecycle

/// Auth: identity, sessions, memberships, roles, permissions, delegation and access
/// aggregation; issues identity-only RS256 access tokens and publishes the JWKS.
///
/// This increment: its database, password hashing, signing keys (encrypted at rest, staged
/// rotation, emergency rotation, JWKS) and Core's entitlement signals.
public struct AuthDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "auth", publicPort: 8101, managementPort: 9101, databasePrefix: "AUTH", redis: .optional,
        callsServices: true, servesInternalRoutes: true,
        extraKeys: [
            ConfigKey("JWT_ISSUER", .url(schemes: ["http", "https"]), .localDefault("http://127.0.0.1:8101"),
                      summary: "iss of access tokens (Auth's public URL)"),
            ConfigKey("JWT_AUDIENCE", .string, .localDefault("kisum"), summary: "aud of access tokens"),
            ConfigKey("ACCESS_TOKEN_TTL", .duration, .defaulted("15m"), summary: "Access token lifetime"),
            ConfigKey("REFRESH_TOKEN_TTL", .duration, .defaulted("30d"), summary: "Refresh token lifetime"),
            ConfigKey("AUTH_KEY_ENCRYPTION_KEY", .string, .required, secret: true,
                      summary: "Base64 of 32 random bytes: encrypts signing keys at rest (from the secret store)"),
            ConfigKey("JWKS_CACHE_TTL", .duration, .defaulted("5m"), summary: "Cache-Control max-age of the JWKS"),
            ConfigKey("KEY_PUBLISH_DELAY", .duration, .defaulted("10m"),
                      summary: "How long a new signing key is published before it signs (at least JWKS_CACHE_TTL)"),
            ConfigKey("KEY_LIFECYCLE_INTERVAL", .duration, .defaulted("10s"), summary: "How often key states are advanced"),
            ConfigKey("CORE_INTERNAL_URL", .url(schemes: ["http", "https"]), .localDefault("http://127.0.0.1:9102"),
                      summary: "Platform Core's management URL"),
            ConfigKey("PASSWORD_ARGON2_MEMORY_KIB", .integer(8192...1_048_576), .defaulted("19456"), summary: "Argon2id memory cost"),
            ConfigKey("PASSWORD_ARGON2_ITERATIONS", .integer(1...10), .defaulted("2"), summary: "Argon2id iterations"),
            ConfigKey("PASSWORD_HASH_THREADS", .integer(1...64), .defaulted("2"), summary: "Threads hashing passwords"),
            ConfigKey("AUTH_CACHE_INTEGRITY_KEY", .string, .required, secret: true,
                      summary: "Base64 of 32 random bytes: HMAC key tagging every cached value"),
            ConfigKey("ACCESS_CACHE_TTL", .duration, .defaulted("10m"), summary: "Lifetime of cached access snapshots (5-15 min)"),
            ConfigKey("LOGIN_RATE_LIMIT_PER_IP", .integer(1...100_000), .defaulted("20"), summary: "Sign-in attempts per client IP per window"),
            ConfigKey("LOGIN_RATE_LIMIT_PER_EMAIL", .integer(1...10_000), .defaulted("5"), summary: "Sign-in attempts per email per window"),
            ConfigKey("LOGIN_RATE_WINDOW", .duration, .defaulted("1m"), summary: "Sign-in rate-limit window"),
            ConfigKey("REFRESH_GRACE_WINDOW", .duration, .defaulted("0s"),
                      summary: "A used refresh token still returns its unused successor this long (a lost response's retry); 0 = off"),
            ConfigKey("REFRESH_RATE_LIMIT_PER_IP", .integer(1...100_000), .defaulted("60"), summary: "Refresh attempts per client IP per window"),
            ConfigKey("REFRESH_RATE_WINDOW", .duration, .defaulted("1m"), summary: "Refresh rate-limit window"),
            ConfigKey("PASSWORD_RESET_SENDER", .choice(["outbox", "webhook"]), .defaulted("outbox"),
                      summary: "How reset links reach users: `outbox` (a table, local/dev only) or `webhook` (the mail relay)"),
            ConfigKey("PASSWORD_RESET_WEBHOOK_URL", .url(schemes: ["http", "https"]), .optional,
                      summary: "The mail relay's webhook (with PASSWORD_RESET_SENDER=webhook)"),
            ConfigKey("PASSWORD_RESET_WEBHOOK_SECRET", .string, .optional, secret: true,
                      summary: "HMAC key signing webhook bodies (x-kisum-signature)"),
            ConfigKey("PASSWORD_RESET_LINK_BASE", .string, .defaulted("http://127.0.0.1:3000/reset-password?token="),
                      summary: "The reset link sent to users, the token appended"),
            ConfigKey("TRUST_FORWARDED_FOR", .boolean, .defaulted("false"),
                      summary: "Take the client IP from X-Forwarded-For (only behind the platform's ingress)"),
        ])

    public static var migrations: MigrationSet? {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: "auth", directory: folder)
    }

    let context: DaemonContext
    let keys: SigningKeyStore
    public let ring = KeyRing()
    public let passwords: PasswordHasher
    let sessions: PostgresSessionRepository
    let dummyHash: String
    let cacheKey: SymmetricKey
    let resetSender: any PasswordResetSender

    public init(context: DaemonContext) async throws {
        self.context = context
        let configuration = context.configuration
        guard let encryption = KeyEncryption(base64: configuration.string("AUTH_KEY_ENCRYPTION_KEY") ?? "") else {
            throw ConfigError(service: "auth", problems: [.init(variable: "AUTH_KEY_ENCRYPTION_KEY", reason: "must be base64 of 32 bytes")])
        }
        let publish = configuration.duration("KEY_PUBLISH_DELAY") ?? .seconds(600)
        let cache = configuration.duration("JWKS_CACHE_TTL") ?? .seconds(300)
        guard publish >= cache else {
            throw ConfigError(service: "auth", problems: [.init(variable: "KEY_PUBLISH_DELAY", reason: "must be at least JWKS_CACHE_TTL")])
        }
        keys = SigningKeyStore(database: context.database!, encryption: encryption, logger: context.logger)
        passwords = PasswordHasher(
            parameters: .init(memoryKiB: UInt32(configuration.integer("PASSWORD_ARGON2_MEMORY_KIB") ?? 19_456),
                              iterations: UInt32(configuration.integer("PASSWORD_ARGON2_ITERATIONS") ?? 2)),
            threads: configuration.integer("PASSWORD_HASH_THREADS") ?? 2)
        guard let integrity = configuration.string("AUTH_CACHE_INTEGRITY_KEY").flatMap({ Data(base64Encoded: $0) }), integrity.count == 32 else {
            throw ConfigError(service: "auth", problems: [.init(variable: "AUTH_CACHE_INTEGRITY_KEY", reason: "must be base64 of 32 bytes")])
        }
        cacheKey = SymmetricKey(data: integrity)
        guard (configuration.duration("REFRESH_GRACE_WINDOW") ?? .zero) <= .seconds(60) else {
            throw ConfigError(service: "auth", problems: [.init(variable: "REFRESH_GRACE_WINDOW", reason: "must be at most 60s")])
        }
        sessions = PostgresSessionRepository(database: context.database!, logger: context.logger,
                                             refreshGrace: configuration.duration("REFRESH_GRACE_WINDOW") ?? .zero, sealer: encryption)
        dummyHash = try await passwords.hash(UUID().uuidString)
        resetSender = try Self.resetSender(context)
    }

    var rateLimiter: RateLimiter {
        RateLimiter(redis: context.redis, database: context.database!, metrics: context.metrics, logger: context.logger)
    }

    var rateLimits: AuthRateLimits {
        let configuration = context.configuration
        return AuthRateLimits(limiter: rateLimiter, perIP: configuration.integer("LOGIN_RATE_LIMIT_PER_IP") ?? 20,
                           perEmail: configuration.integer("LOGIN_RATE_LIMIT_PER_EMAIL") ?? 5,
                           window: configuration.duration("LOGIN_RATE_WINDOW") ?? .seconds(60),
                           refreshPerIP: configuration.integer("REFRESH_RATE_LIMIT_PER_IP") ?? 60,
                           refreshWindow: configuration.duration("REFRESH_RATE_WINDOW") ?? .seconds(60),
                           trustForwardedFor: configuration.boolean("TRUST_FORWARDED_FOR") ?? false)
    }

    var authenticator: AccessAuthenticator {
        AccessAuthenticator(ring: ring, sessions: sessions, issuer: context.configuration.string("JWT_ISSUER")!,
                            audience: context.configuration.string("JWT_AUDIENCE")!, denials: denials)
    }

    var denials: AccessDenials {
        AccessDenials(audit: sessions, redis: context.redis, metrics: context.metrics, logger: context.logger)
    }

    var keyRoutes: KeyRoutes {
        KeyRoutes(store: keys, ring: ring, jwksCache: context.configuration.duration("JWKS_CACHE_TTL") ?? .seconds(300),
                  publishDelay: context.configuration.duration("KEY_PUBLISH_DELAY") ?? .seconds(600), audit: sessions)
    }

    public func addPublicRoutes(to router: Router<PlatformRequestContext>) {
        keyRoutes.addPublic(to: router)
        SessionRoutes(sessions: sessions, passwords: passwords, ring: ring, authenticator: authenticator,
                      accessTTL: context.configuration.duration("ACCESS_TOKEN_TTL") ?? .seconds(900),
                      refreshTTL: context.configuration.duration("REFRESH_TOKEN_TTL") ?? .seconds(2_592_000),
                      metrics: context.metrics, dummyHash: dummyHash, limits: rateLimits).add(to: router)
        AccessRoutes(authenticator: authenticator, repository: accessRepository, access: accessService, denials: denials).add(to: router)
        PasswordRoutes(database: context.database!, sessions: sessions, passwords: passwords, authenticator: authenticator,
                       sender: resetSender,
                       limits: rateLimits).add(to: router)
    }

    var accessRepository: AccessRepository { AccessRepository(database: context.database!, logger: context.logger) }

    var accessService: AccessService {
        let cache = AccessCache(redis: context.redis, integrityKey: cacheKey,
                                ttl: context.configuration.duration("ACCESS_CACHE_TTL") ?? .seconds(600),
                                metrics: context.metrics, logger: context.logger)
        return AccessService(repository: accessRepository, cache: cache,
                             core: context.client(for: "core", baseURL: context.configuration.string("CORE_INTERNAL_URL")!,
                                                  timeout: .seconds(2)),
                             metrics: context.metrics, logger: context.logger)
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        keyRoutes.addInternal(to: router, context: context)
        EntitlementSignalRoutes(database: context.database!).add(to: router, context: context)
        AccessContextRoutes(sessions: sessions, repository: accessRepository, access: accessService, denials: denials).add(to: router, context: context)
        AdminSessionRoutes(sessions: sessions).add(to: router, context: context)
        ExplainAccessRoutes(sessions: sessions, repository: accessRepository, access: accessService).add(to: router, context: context)
        router.addAPIDocument(Bundle.module.url(forResource: "OpenAPI/auth.openapi", withExtension: "yaml"))
        IdentityAdminRoutes(database: context.database!, passwords: passwords, audit: sessions, logger: context.logger)
            .add(to: router, context: context)
        IdentityQueryRoutes(database: context.database!, repository: accessRepository).add(to: router, context: context)
        UserAdminRoutes(database: context.database!, audit: sessions).add(to: router, context: context)
        RoleAdminRoutes(database: context.database!, audit: sessions).add(to: router, context: context)
        MembershipAdminRoutes(database: context.database!, audit: sessions).add(to: router, context: context)
        DelegationAdminRoutes(database: context.database!, audit: sessions).add(to: router, context: context)
        AdminContextRoutes(sessions: sessions, repository: accessRepository, denials: denials).add(to: router, context: context)
    }

    public var readinessChecks: [ReadinessCheck] {
        [ReadinessCheck(name: "signing_keys", critical: true) { [ring] in
            if ring.activeKid == nil { throw ReadinessFailure("no active signing key loaded") }
        }]
    }

    /// Tokens signed by a key stay verifiable for their lifetime plus the verifiers' JWKS cache.
    var retireDelay: Duration {
        (context.configuration.duration("ACCESS_TOKEN_TTL") ?? .seconds(900)) + (context.configuration.duration("JWKS_CACHE_TTL") ?? .seconds(300))
    }

    /// The configured reset sender; the outbox (tokens in a table) is refused outside local and dev.
    static func resetSender(_ context: DaemonContext) throws -> any PasswordResetSender {
        let configuration = context.configuration
        guard configuration.string("PASSWORD_RESET_SENDER") == "webhook" else {
            guard [.local, .dev].contains(configuration.environment) else {
                throw ConfigError(service: "auth", problems: [.init(variable: "PASSWORD_RESET_SENDER",
                                                                    reason: "outbox is for local and dev; use webhook")])
            }
            return OutboxPasswordResetSender(database: context.database!, logger: context.logger)
        }
        guard let url = configuration.string("PASSWORD_RESET_WEBHOOK_URL"),
              let secret = configuration.string("PASSWORD_RESET_WEBHOOK_SECRET"), secret.utf8.count >= 32 else {
            throw ConfigError(service: "auth", problems: [.init(variable: "PASSWORD_RESET_WEBHOOK_SECRET",
                                                                reason: "webhook needs PASSWORD_RESET_WEBHOOK_URL and a secret of 32+ bytes")])
        }
        return WebhookPasswordResetSender(url: url, secret: secret, linkBase: configuration.string("PASSWORD_RESET_LINK_BASE") ?? "",
                                          metrics: context.metrics, logger: context.logger)
    }

    public var backgroundServices: [any Service] {
        let delivery: [any Service] = (resetSender as? WebhookPasswordResetSender).map { [$0] } ?? []
        return delivery + [PeriodicJob(name: "signing_keys", interval: context.configuration.duration("KEY_LIFECYCLE_INTERVAL") ?? .seconds(10),
                     metrics: context.metrics, logger: context.logger) { [keys, ring, retireDelay, metrics = context.metrics] in
            try await keys.ensureActiveKey()
            try await keys.advance(retireDelay: retireDelay)
            let live = try await keys.liveKeys()
            try await ring.load(live)
            if let active = live.last(where: { $0.state == .active }) {
                metrics.gauge("kisum_auth_signing_key_age_seconds", help: "Seconds since the active signing key started signing.")
                    .set(Date().timeIntervalSince(active.activateAt))
            }
            metrics.gauge("kisum_auth_signing_keys_published", help: "Signing keys in the JWKS.")
                .set(Double(live.filter { $0.state != .retired }.count))
        },
        PeriodicJob(name: "rate_limit_sweep", interval: .seconds(60), metrics: context.metrics, logger: context.logger) { [rateLimiter, sessions] in
            try await rateLimiter.sweep(olderThan: .seconds(3600))
            try await sessions.forgetSealedSuccessors()
        }]
    }
}
