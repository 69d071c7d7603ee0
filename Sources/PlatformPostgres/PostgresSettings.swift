import CLibPQ
import PlatformKit

/// How a daemon reaches its own database: parsed from `<PREFIX>_DB_URL` by libpq itself
/// (so every URL or keyword form libpq accepts works the same here), plus pool and timeout
/// settings.
public struct PostgresSettings: Sendable, Equatable {
    /// libpq's `sslmode`.
    public enum SSLMode: String, Sendable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// libpq's `sslrootcert`: the CA file that vouches for the server (a managed database's
    /// CA, the environment's own); nil for the system's trust roots.
    public var sslRootCertificate: String?
    public var maximumConnections: Int
    public var statementTimeout: Duration
    public var connectTimeout: Duration
    /// Longest a caller waits for a pooled connection (busy pool or unreachable server).
    public var leaseTimeout: Duration
    public var applicationName: String

    public init(host: String, port: Int, username: String, password: String?, database: String,
                sslMode: SSLMode = .prefer, maximumConnections: Int = 10, statementTimeout: Duration = .seconds(5),
                connectTimeout: Duration = .seconds(2), leaseTimeout: Duration = .seconds(10),
                applicationName: String = "kisum") {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.maximumConnections = maximumConnections
        self.statementTimeout = statementTimeout
        self.connectTimeout = connectTimeout
        self.leaseTimeout = leaseTimeout
        self.applicationName = applicationName
    }

    /// Parses a `postgres://` URL or a `key=value` connection string with libpq.
    public init(url: String) throws(PostgresSettingsError) {
        let options = try Self.parse(url)
        guard let user = options["user"], !user.isEmpty else { throw .init("the URL names no user") }
        guard let database = options["dbname"], !database.isEmpty else { throw .init("the URL names no database") }
        let host = options["host"].flatMap { $0.isEmpty ? nil : $0 } ?? options["hostaddr"] ?? "127.0.0.1"
        guard !host.contains(",") else { throw .init("multiple hosts are not supported") }
        guard let port = Int(options["port"].flatMap { $0.isEmpty ? nil : $0 } ?? "5432"), (1...65535).contains(port) else {
            throw .init("the port is not a number from 1 to 65535")
        }
        let modeText = options["sslmode"].flatMap { $0.isEmpty ? nil : $0 } ?? "prefer"
        guard let mode = SSLMode(rawValue: modeText) else { throw .init("unknown sslmode \(modeText)") }
        self.init(host: host, port: port, username: user, password: options["password"], database: database, sslMode: mode)
        if let rootCertificate = options["sslrootcert"], !rootCertificate.isEmpty {
            guard rootCertificate.hasPrefix("/") else { throw .init("sslrootcert must be an absolute path") }
            sslRootCertificate = rootCertificate
        }
        if let timeout = options["connect_timeout"].flatMap(Int.init), timeout > 0 {
            connectTimeout = .seconds(timeout)
        }
    }

    /// The option map libpq derives from a connection string; only options that are set.
    static func parse(_ connectionString: String) throws(PostgresSettingsError) -> [String: String] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            let reason = errorMessage.map { String(cString: $0) } ?? "invalid connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            // libpq's message can quote the input; keep only its first line and no password.
            throw .init(reason.split(separator: "\n").first.map(String.init) ?? "invalid connection string")
        }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val { result[String(cString: keyword)] = String(cString: value) }
            cursor += 1
        }
        return result
    }

    /// The keys a daemon declares for its database, e.g. `AUTH_DB_URL`.
    public static func configKeys(prefix: String) -> [ConfigKey] {
        [
            ConfigKey("\(prefix)_DB_URL", .url(schemes: ["postgres", "postgresql"]), .required, secret: true,
                      summary: "PostgreSQL URL for the runtime role (libpq syntax; sslmode honoured)"),
            ConfigKey("\(prefix)_DB_POOL_MAX", .integer(1...200), .defaulted("10"),
                      summary: "Most connections this instance opens"),
            ConfigKey("\(prefix)_DB_STATEMENT_TIMEOUT", .duration, .defaulted("5s"),
                      summary: "Server-side statement_timeout for every session"),
            ConfigKey("\(prefix)_DB_CONNECT_TIMEOUT", .duration, .defaulted("2s"),
                      summary: "Timeout to open one connection"),
            ConfigKey("\(prefix)_DB_LEASE_TIMEOUT", .duration, .defaulted("10s"),
                      summary: "Longest a request waits for a pooled connection before it is answered 503"),
        ]
    }

    /// Reads the keys declared by `configKeys(prefix:)`.
    public init(configuration: Configuration, prefix: String) throws(PostgresSettingsError) {
        try self.init(url: configuration.string("\(prefix)_DB_URL") ?? "")
        maximumConnections = configuration.integer("\(prefix)_DB_POOL_MAX") ?? maximumConnections
        statementTimeout = configuration.duration("\(prefix)_DB_STATEMENT_TIMEOUT") ?? statementTimeout
        connectTimeout = configuration.duration("\(prefix)_DB_CONNECT_TIMEOUT") ?? connectTimeout
        leaseTimeout = configuration.duration("\(prefix)_DB_LEASE_TIMEOUT") ?? leaseTimeout
        applicationName = configuration.service
    }

    /// The same settings for another role or database (used by tooling).
    public func with(username: String? = nil, password: String?? = nil, database: String? = nil) -> PostgresSettings {
        var copy = self
        if let username { copy.username = username }
        if let password { copy.password = password }
        if let database { copy.database = database }
        return copy
    }
}

/// A database URL libpq cannot use. Never includes the password.
public struct PostgresSettingsError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "invalid database URL: \(reason)" }
}
