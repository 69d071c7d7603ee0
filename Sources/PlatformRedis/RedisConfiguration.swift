import Foundation
import PlatformKit

/// Where Redis is and how patient to be with it.
public struct RedisConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var password: String?
    public var username: String?
    public var database: Int
    /// Time to open a TCP connection (and authenticate).
    public var connectTimeout: Duration
    /// Time for a command (or a pipeline) to be answered.
    public var commandTimeout: Duration
    /// Consecutive failures that open the circuit breaker.
    public var breakerThreshold: Int
    /// How long the breaker stays open before one probe is let through.
    public var breakerCooldown: Duration
    /// Connections per client; commands are spread over them and pipelined on each.
    public var connections: Int

    public init(host: String, port: Int = 6379, password: String? = nil, username: String? = nil, database: Int = 0,
                connectTimeout: Duration = .milliseconds(100), commandTimeout: Duration = .milliseconds(100),
                breakerThreshold: Int = 2, breakerCooldown: Duration = .seconds(1), connections: Int = 2) {
        self.host = host
        self.port = port
        self.password = password
        self.username = username
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.breakerThreshold = breakerThreshold
        self.breakerCooldown = breakerCooldown
        self.connections = connections
    }

    /// Parses `redis://[[user]:password@]host[:port][/db]`.
    public init?(url: String) {
        guard let components = URLComponents(string: url), components.scheme == "redis",
              let host = components.host, !host.isEmpty else { return nil }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard path.isEmpty || Int(path) != nil else { return nil }
        self.init(host: host, port: components.port ?? 6379,
                  password: components.password.flatMap { $0.removingPercentEncoding },
                  username: components.user.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding },
                  database: Int(path) ?? 0)
    }

    /// The keys a daemon declares for Redis. `required` is false where Redis is an optional cache.
    public static func configKeys(required: Bool) -> [ConfigKey] {
        [
            ConfigKey("REDIS_URL", .url(schemes: ["redis"]), required ? .required : .optional, secret: true,
                      summary: "Redis URL, redis://[:password@]host:port[/db]"),
            ConfigKey("REDIS_CONNECT_TIMEOUT", .duration, .defaulted("100ms"), summary: "Timeout to connect to Redis"),
            ConfigKey("REDIS_COMMAND_TIMEOUT", .duration, .defaulted("100ms"), summary: "Timeout for one Redis command"),
            ConfigKey("REDIS_BREAKER_THRESHOLD", .integer(1...100), .defaulted("2"),
                      summary: "Consecutive Redis failures that open the circuit breaker"),
            ConfigKey("REDIS_BREAKER_COOLDOWN", .duration, .defaulted("1s"),
                      summary: "How long the breaker stays open before probing Redis again"),
            ConfigKey("REDIS_CONNECTIONS", .integer(1...64), .defaulted("2"), summary: "Redis connections per instance"),
        ]
    }

    /// Reads the keys of `configKeys(required:)`; nil when `REDIS_URL` is not set.
    public init?(configuration: Configuration) {
        guard let url = configuration.string("REDIS_URL"), var parsed = RedisConfiguration(url: url) else { return nil }
        parsed.connectTimeout = configuration.duration("REDIS_CONNECT_TIMEOUT") ?? parsed.connectTimeout
        parsed.commandTimeout = configuration.duration("REDIS_COMMAND_TIMEOUT") ?? parsed.commandTimeout
        parsed.breakerThreshold = configuration.integer("REDIS_BREAKER_THRESHOLD") ?? parsed.breakerThreshold
        parsed.breakerCooldown = configuration.duration("REDIS_BREAKER_COOLDOWN") ?? parsed.breakerCooldown
        parsed.connections = configuration.integer("REDIS_CONNECTIONS") ?? parsed.connections
        self = parsed
    }
}
