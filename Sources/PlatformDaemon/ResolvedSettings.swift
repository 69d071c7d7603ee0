import PlatformKit
import PlatformPostgres
import PlatformRedis
import ServiceAuth

/// The second validation pass: values that parsed as text but must also make sense as a
/// database URL, a Redis URL or keys. Problems are reported together, like the first pass.
struct ResolvedSettings: Sendable {
    var database: PostgresSettings?
    var redis: RedisConfiguration?
    var signingKey: ServiceKey?
    var trustedKeys: TrustedServiceKeys?

    init(descriptor: DaemonDescriptor, configuration: Configuration) throws(ConfigError) {
        var problems: [ConfigError.Problem] = []
        if let prefix = descriptor.databasePrefix {
            do {
                database = try PostgresSettings(configuration: configuration, prefix: prefix)
            } catch {
                problems.append(.init(variable: "\(prefix)_DB_URL", reason: error.reason))
            }
        }
        if descriptor.redis != .none, configuration.has("REDIS_URL") {
            redis = RedisConfiguration(configuration: configuration)
            if redis == nil { problems.append(.init(variable: "REDIS_URL", reason: "must be redis://[:password@]host[:port][/db]")) }
        }
        if descriptor.callsServices {
            signingKey = configuration.string("INTERNAL_SIGNING_KEY").flatMap(ServiceKey.init(base64:))
            if signingKey == nil {
                problems.append(.init(variable: "INTERNAL_SIGNING_KEY", reason: "must be a base64 Ed25519 private key (32 bytes)"))
            }
        }
        if descriptor.servesInternalRoutes {
            trustedKeys = configuration.string("INTERNAL_TRUSTED_KEYS").flatMap(TrustedServiceKeys.init(parsing:))
            if trustedKeys == nil {
                problems.append(.init(variable: "INTERNAL_TRUSTED_KEYS",
                                      reason: "must be caller=base64-public-key pairs, at most two per caller"))
            }
        }
        if !problems.isEmpty { throw ConfigError(service: descriptor.name, problems: problems) }
    }
}
