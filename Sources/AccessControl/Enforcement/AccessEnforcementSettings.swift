import PlatformKit

/// How an enforcing daemon reaches Auth: its management listener (the change feed and the
/// per-request fallback), its JWKS, and what its tokens must say. Parsed once at start.
public struct AccessEnforcementSettings: Sendable {
    public var authInternalURL: String
    public var jwksURL: String
    public var issuer: String
    public var audience: String
    public var jwksCacheTTL: Duration
    /// How long after the change feed last vouched the in-memory state may answer.
    public var feedFreshness: Duration
    /// How long one question to Auth may take (the fallback path and each feed poll).
    public var authTimeout: Duration

    public init(authInternalURL: String, jwksURL: String, issuer: String, audience: String,
                jwksCacheTTL: Duration = .seconds(300), feedFreshness: Duration = .milliseconds(500),
                authTimeout: Duration = .seconds(2)) {
        self.authInternalURL = authInternalURL
        self.jwksURL = jwksURL
        self.issuer = issuer
        self.audience = audience
        self.jwksCacheTTL = jwksCacheTTL
        self.feedFreshness = feedFreshness
        self.authTimeout = authTimeout
    }

    /// The variables; `required` false makes enforcement optional (absent: enforced routes
    /// answer `access_unavailable`).
    public static func configKeys(required: Bool) -> [ConfigKey] {
        func need(_ local: String) -> ConfigKey.Requirement { required ? .localDefault(local) : .optional }
        return [
            ConfigKey("AUTH_INTERNAL_URL", .url(schemes: ["http", "https"]), need("http://127.0.0.1:9101"),
                      summary: "Auth's management URL: the access change feed and per-request access decisions"),
            ConfigKey("AUTH_JWKS_URL", .url(schemes: ["http", "https"]), need("http://127.0.0.1:8101/.well-known/jwks.json"),
                      summary: "Auth's JWKS, to verify access tokens"),
            ConfigKey("JWT_ISSUER", .url(schemes: ["http", "https"]), need("http://127.0.0.1:8101"),
                      summary: "The iss access tokens must carry"),
            ConfigKey("JWT_AUDIENCE", .string, need("kisum"), summary: "The aud access tokens must carry"),
            ConfigKey("JWKS_CACHE_TTL", .duration, .defaulted("5m"), summary: "How long a fetched JWKS is used before refetching"),
            ConfigKey("ACCESS_FEED_FRESHNESS", .duration, .defaulted("500ms"),
                      summary: "In-memory access decisions are used only this long after Auth's change feed last vouched for them"),
        ]
    }

    /// The settings, or nil when Auth's URL is not configured (optional enforcement).
    public init?(configuration: Configuration) throws {
        guard let auth = configuration.string("AUTH_INTERNAL_URL") else { return nil }
        guard let jwks = configuration.string("AUTH_JWKS_URL"), let issuer = configuration.string("JWT_ISSUER"),
              let audience = configuration.string("JWT_AUDIENCE") else {
            throw ConfigError(service: configuration.service, problems: [
                .init(variable: "AUTH_JWKS_URL", reason: "AUTH_INTERNAL_URL needs AUTH_JWKS_URL, JWT_ISSUER and JWT_AUDIENCE"),
            ])
        }
        let freshness = configuration.duration("ACCESS_FEED_FRESHNESS") ?? .milliseconds(500)
        guard freshness >= .milliseconds(100), freshness <= .seconds(1) else {
            throw ConfigError(service: configuration.service, problems: [
                .init(variable: "ACCESS_FEED_FRESHNESS", reason: "must be 100ms to 1s (the platform promises refusal within 1s)"),
            ])
        }
        self.init(authInternalURL: auth, jwksURL: jwks, issuer: issuer, audience: audience,
                  jwksCacheTTL: configuration.duration("JWKS_CACHE_TTL") ?? .seconds(300), feedFreshness: freshness)
    }
}
