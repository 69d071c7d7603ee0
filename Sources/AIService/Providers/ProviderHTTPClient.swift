import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// AI's own HTTP client for its provider, apart from the shared one every other call uses: its
/// connection pool is sized for calls that last up to a minute (`AI_UPSTREAM_CONNECTIONS`), so
/// long completions neither queue behind a small shared pool nor hold connections others need.
/// Made at the first call (a daemon that fails to start has none to close); run as a
/// background service, it closes the client once the listeners have drained, at shutdown.
final class ProviderHTTPClient: Service, Sendable {
    private let configuration: HTTPClient.Configuration
    private let made = NIOLockedValueBox<HTTPClient?>(nil)

    init(connections: Int, connectTimeout: Duration = .seconds(5)) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout.connect = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000)
        configuration.httpVersion = .http1Only
        self.configuration = configuration
    }

    /// The client, made at the first use.
    var client: HTTPClient {
        made.withLockedValue { made in
            if let made { return made }
            let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
            made = client
            return client
        }
    }

    func run() async throws {
        try? await gracefulShutdown()
        if let client = made.withLockedValue({ $0 }) { try await client.shutdown() }
    }
}
