import AccessControl
import PlatformKit
import PlatformPostgres
import PlatformRedis
import ServiceAuth

/// What a daemon is made of, declared once: its listeners, its database, whether Redis is
/// required, whether it calls or serves internal routes, and its own settings. The
/// configuration spec (and so the README's variable table) is derived from it.
public struct DaemonDescriptor: Sendable {
    /// Whether the daemon uses Redis, and whether it can serve without it.
    public enum RedisUse: Sendable {
        case none
        /// A cache it can do without: readiness reports it but stays ready without it.
        case optional
        /// Readiness fails without it.
        case required
    }

    /// The service name: `auth`, `core`, … (also the service-credential identity).
    public let name: String
    /// Default public port, or nil for a daemon with no public listener (Core).
    public let publicPort: Int?
    public let managementPort: Int
    /// The prefix of the database variables (`CORE` → `CORE_DB_URL`), or nil without a database.
    public let databasePrefix: String?
    public let redis: RedisUse
    /// Whether it calls other services' internal routes (needs `INTERNAL_SIGNING_KEY`).
    public let callsServices: Bool
    /// Whether it serves internal routes (needs `INTERNAL_TRUSTED_KEYS`).
    public let servesInternalRoutes: Bool
    /// Whether it enforces users' access (Auth's tokens, `x-org`, modules and permissions) with
    /// the shared layer: `.required` for business backends, `.optional` where the routes that
    /// need it may be left unconfigured (they then answer `access_unavailable`).
    public let access: AccessUse
    public let extraKeys: [ConfigKey]

    /// Whether a daemon enforces users' access.
    public enum AccessUse: Sendable {
        case none, optional, required
    }

    public init(name: String, publicPort: Int?, managementPort: Int, databasePrefix: String?, redis: RedisUse,
                callsServices: Bool, servesInternalRoutes: Bool, access: AccessUse = .none, extraKeys: [ConfigKey] = []) {
        precondition(access == .none || callsServices, "\(name): enforcing access calls Auth, so it signs service credentials")
        self.access = access
        self.name = name
        self.publicPort = publicPort
        self.managementPort = managementPort
        self.databasePrefix = databasePrefix
        self.redis = redis
        self.callsServices = callsServices
        self.servesInternalRoutes = servesInternalRoutes
        self.extraKeys = extraKeys
    }

    /// Every variable the daemon reads.
    public var configSpec: ConfigSpec {
        var keys: [ConfigKey] = []
        if let publicPort {
            keys.append(ConfigKey("KISUM_PUBLIC_LISTEN", .listenAddress, .defaulted("127.0.0.1:\(publicPort)"),
                                  summary: "Public API listener (behind the ingress)"))
        }
        keys.append(ConfigKey("KISUM_MANAGEMENT_LISTEN", .listenAddress, .defaulted("127.0.0.1:\(managementPort)"),
                              summary: "Management listener: health, readiness, metrics, internal routes (private)"))
        if let databasePrefix { keys += PostgresSettings.configKeys(prefix: databasePrefix) }
        if redis != .none { keys += RedisConfiguration.configKeys(required: redis == .required) }
        keys += ServiceAuthSettings.configKeys(signs: callsServices, verifies: servesInternalRoutes)
        if access != .none { keys += AccessEnforcementSettings.configKeys(required: access == .required) }
        keys += extraKeys
        return ConfigSpec(service: name, keys: keys)
    }
}
