import PlatformKit
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

extension PostgresSettings {
    /// The TLS decision of `sslMode`: nil for `disable`; otherwise the client configuration and
    /// whether TLS is required (`require` and stronger) or only preferred.
    var tlsChoice: (configuration: TLSConfiguration, required: Bool)? {
        var config = TLSConfiguration.makeClientConfiguration()
        if let sslRootCertificate { config.trustRoots = .file(sslRootCertificate) }
        switch sslMode {
        case .disable:
            return nil
        case .allow, .prefer:
            config.certificateVerification = .none
            return (config, false)
        case .require:
            // libpq's `require` encrypts without verifying the server certificate.
            config.certificateVerification = .none
            return (config, true)
        case .verifyCA:
            config.certificateVerification = .noHostnameVerification
            return (config, true)
        case .verifyFull:
            return (config, true)
        }
    }

    /// The PostgresNIO client configuration: TLS from `sslmode`, a bounded pool, and
    /// `statement_timeout` set for every session.
    public func clientConfiguration() -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch tlsChoice {
        case nil: tls = .disable
        case let (config, required)?: tls = required ? .require(config) : .prefer(config)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// One connection's configuration, the same as the pool's (health probes outside the pool).
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch tlsChoice {
        case nil: tls = .disable
        case let (config, required)?:
            let context = try NIOSSLContext(configuration: config)
            tls = required ? .require(context) : .prefer(context)
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout.milliseconds * 1_000_000))
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    private var startupParameters: [(String, String)] {
        [("statement_timeout", String(Int(statementTimeout.milliseconds))), ("application_name", applicationName)]
    }
}
