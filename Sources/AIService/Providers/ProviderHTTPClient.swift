import AsyncHTTPClient
import NIOCore
import NIOPosix
import ServiceLifecycle

/// AI's own HTTP client for its provider, apart from the shared one every other call uses: its
/// connection pool is sized for calls that last up to a minute (`AI_UPSTREAM_CONNECTIONS`), so
/// long completions neither queue behind a small shared pool nor hold connections others need.
/// Run as a background service: closed once the listeners have drained, at shutdown.
final class ProviderHTTPClient: Service, Sendable {
    let client: HTTPClient

    init(connections: Int, connectTimeout: Duration = .seconds(5)) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout.connect = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000)
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
