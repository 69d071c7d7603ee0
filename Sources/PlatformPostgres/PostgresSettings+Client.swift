import PlatformKit
import Logging
import NIOSSL
import PostgresNIO

extension PostgresSettings {
    /// The PostgresNIO client configuration: TLS from `sslmode`, a bounded pool, and
    /// `statement_timeout` set for every session.
    public func clientConfiguration() -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case .disable:
            tls = .disable
        case .allow, .prefer:
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            tls = .prefer(config)
        case .require:
            // libpq's `require` encrypts without verifying the server certificate.
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            tls = .require(config)
        case .verifyCA:
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .noHostnameVerification
            tls = .require(config)
        case .verifyFull:
            tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = [
            ("statement_timeout", String(Int(statementTimeout.milliseconds))),
            ("application_name", applicationName),
        ]
        return configuration
    }
}
