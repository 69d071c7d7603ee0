import Crypto
import Foundation
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import Prometheus

/// Auth's parts, built once from its configuration (the composition root): what the routes
/// and background jobs share. Invalid combinations of settings are refused here, naming the
/// variable.
struct AuthComponents: Sendable {
    let database: PlatformDatabase
    let keys: SigningKeyStore
    let ring = KeyRing()
    let keyRoutes: KeyRoutes
    let passwords: PasswordHasher
    let sessions: PostgresSessionRepository
    let passwordRecords: PasswordRepository
    let rateLimiter: RateLimiter
    let rateLimits: AuthRateLimits
    let denials: AccessDenials
    let authenticator: AccessAuthenticator
    let repository: AccessRepository
    let access: AccessService
    /// The access change feed, served to enforcing services.
    let feed: AccessFeedPublisher
    /// `/auth/me/access` answers, kept current by `feed`.
    let memory: AccessMemory
    let resetSender: any PasswordResetSender
    /// Verified against when the email is unknown, so both failures cost one hash.
    let dummyHash: String
    let accessTTL: Duration
    let refreshTTL: Duration
    let keyLifecycleInterval: Duration
    /// Tokens signed by a key stay verifiable for their lifetime plus the verifiers' JWKS cache.
    let retireDelay: Duration

    init(context: DaemonContext) async throws {
        let configuration = context.configuration
        func invalid(_ variable: String, _ reason: String) -> ConfigError {
            ConfigError(service: "auth", problems: [.init(variable: variable, reason: reason)])
        }
        guard let database = context.database else { throw invalid("AUTH_DB_URL", "is required") }
        guard let encryption = KeyEncryption(base64: configuration.string("AUTH_KEY_ENCRYPTION_KEY") ?? "") else {
            throw invalid("AUTH_KEY_ENCRYPTION_KEY", "must be base64 of 32 bytes")
        }
        let publishDelay = configuration.duration("KEY_PUBLISH_DELAY") ?? .seconds(600)
        let jwksCache = configuration.duration("JWKS_CACHE_TTL") ?? .seconds(300)
        guard publishDelay >= jwksCache else { throw invalid("KEY_PUBLISH_DELAY", "must be at least JWKS_CACHE_TTL") }
        guard let integrity = configuration.string("AUTH_CACHE_INTEGRITY_KEY").flatMap({ Data(base64Encoded: $0) }), integrity.count == 32 else {
            throw invalid("AUTH_CACHE_INTEGRITY_KEY", "must be base64 of 32 bytes")
        }
        let grace = configuration.duration("REFRESH_GRACE_WINDOW") ?? .zero
        guard grace <= .seconds(60) else { throw invalid("REFRESH_GRACE_WINDOW", "must be at most 60s") }

        self.database = database
        accessTTL = configuration.duration("ACCESS_TOKEN_TTL") ?? .seconds(900)
        refreshTTL = configuration.duration("REFRESH_TOKEN_TTL") ?? .seconds(2_592_000)
        keyLifecycleInterval = configuration.duration("KEY_LIFECYCLE_INTERVAL") ?? .seconds(10)
        retireDelay = accessTTL + jwksCache
        keys = SigningKeyStore(database: database, encryption: encryption.derived(for: .signingKeys), logger: context.logger)
        sessions = PostgresSessionRepository(database: database, logger: context.logger, refreshGrace: grace,
                                             sealer: encryption.derived(for: .refreshSuccessors))
        passwordRecords = PasswordRepository(database: database, logger: context.logger)
        let argon2 = PasswordHasher.Parameters(memoryKiB: UInt32(configuration.integer("PASSWORD_ARGON2_MEMORY_KIB") ?? 19_456),
                                               iterations: UInt32(configuration.integer("PASSWORD_ARGON2_ITERATIONS") ?? 2))
        try Self.checkArgon2(argon2, environment: configuration.environment)
        passwords = PasswordHasher(parameters: argon2, threads: configuration.integer("PASSWORD_HASH_THREADS") ?? 2)
        rateLimiter = RateLimiter(redis: context.redis, database: database, metrics: context.metrics, logger: context.logger)
        rateLimits = AuthRateLimits(limiter: rateLimiter, perIP: configuration.integer("LOGIN_RATE_LIMIT_PER_IP") ?? 20,
                                    perEmail: configuration.integer("LOGIN_RATE_LIMIT_PER_EMAIL") ?? 5,
                                    window: configuration.duration("LOGIN_RATE_WINDOW") ?? .seconds(60),
                                    refreshPerIP: configuration.integer("REFRESH_RATE_LIMIT_PER_IP") ?? 60,
                                    refreshWindow: configuration.duration("REFRESH_RATE_WINDOW") ?? .seconds(60),
                                    trustForwardedFor: configuration.boolean("TRUST_FORWARDED_FOR") ?? false,
                                    trustedHops: configuration.integer("TRUSTED_PROXY_HOPS") ?? 1, metrics: context.metrics)
        denials = AccessDenials(audit: sessions, redis: context.redis, metrics: context.metrics, logger: context.logger)
        authenticator = AccessAuthenticator(ring: ring, sessions: sessions, issuer: configuration.string("JWT_ISSUER")!,
                                            audience: configuration.string("JWT_AUDIENCE")!, denials: denials)
        repository = AccessRepository(database: database, logger: context.logger)
        access = AccessService(
            repository: repository,
            cache: AccessCache(redis: context.redis, integrityKey: SymmetricKey(data: integrity),
                               ttl: configuration.duration("ACCESS_CACHE_TTL") ?? .seconds(600), metrics: context.metrics, logger: context.logger),
            core: context.client(for: "core", baseURL: configuration.string("CORE_INTERNAL_URL")!, timeout: .seconds(2)),
            metrics: context.metrics, logger: context.logger)
        var feedSettings = AccessFeedPublisher.Settings()
        feedSettings.retention = configuration.duration("ACCESS_FEED_RETENTION") ?? .seconds(86_400)
        memory = AccessMemory(metrics: context.metrics)
        feed = AccessFeedPublisher(repository: AccessFeedRepository(database: database, logger: context.logger),
                                   settings: feedSettings, localListeners: [memory, ring], metrics: context.metrics,
                                   logger: context.logger)
        keyRoutes = KeyRoutes(feed: feed, store: keys, ring: ring, jwksCache: jwksCache, publishDelay: publishDelay, audit: sessions)
        dummyHash = try await passwords.hash(UUID().uuidString)
        resetSender = try Self.resetSender(context)
    }

    /// Below OWASP's Argon2id floor (m = 19 MiB, t = 2) only where tests and laptops need speed.
    static func checkArgon2(_ parameters: PasswordHasher.Parameters, environment: DeploymentEnvironment) throws {
        guard ![.local, .dev].contains(environment) else { return }
        var problems: [ConfigError.Problem] = []
        if parameters.memoryKiB < 19_456 {
            problems.append(.init(variable: "PASSWORD_ARGON2_MEMORY_KIB", reason: "must be at least 19456 (19 MiB) outside local and dev"))
        }
        if parameters.iterations < 2 {
            problems.append(.init(variable: "PASSWORD_ARGON2_ITERATIONS", reason: "must be at least 2 outside local and dev"))
        }
        if !problems.isEmpty { throw ConfigError(service: "auth", problems: problems) }
    }

    /// One pass of the key lifecycle: a signing key exists, states advance (publish → sign →
    /// retire after `retireDelay`), the ring reloads, and the key age is reported.
    func advanceSigningKeys(metrics: PlatformMetrics) async throws {
        try await keys.ensureActiveKey()
        try await keys.advance(retireDelay: retireDelay)
        let live = try await ring.reload { try await keys.liveKeys() }
        if let active = live.last(where: { $0.state == .active }) {
            metrics.gauge("kisum_auth_signing_key_age_seconds", help: "Seconds since the active signing key started signing.")
                .set(Date().timeIntervalSince(active.activateAt))
        }
        metrics.gauge("kisum_auth_signing_keys_published", help: "Signing keys in the JWKS.")
            .set(Double(live.filter { $0.state != .retired }.count))
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
}
