import AsyncHTTPClient
import HTTPTypes
import Foundation
import NIOCore
import NIOPosix
import Logging
import PlatformKit
import Prometheus
import ServiceLifecycle

/// Something that holds access state and must hear of every change (an `AccessState`, the
/// token verifier's key set).
public protocol AccessFeedListener: Sendable {
    /// Apply events, in feed order.
    func apply(_ events: [AccessEvent])
    /// Drop everything held: the feed cannot say what changed (first contact, resync).
    func dropAll()
    /// The feed vouches for everything applied so far until `instant`.
    func trust(until instant: ContinuousClock.Instant)
}

extension AccessState: AccessFeedListener {}

/// Follows Auth's access change feed (a long poll on its management listener, with this
/// service's credential) and hands every event to its listeners, in order.
///
/// Each answer is a heartbeat: it says how long ago (on Auth's clock) every change committed
/// was in hand and how long Auth held the question, so the listeners are trusted for
/// `freshness` past that moment, placed on this clock from when the question was sent (the
/// conservative end: `AccessFeedPage.completeSince`). A cut or slow feed lets that lapse and
/// the layer asks Auth per request instead; it never guesses.
///
/// The feed has its own connection and event-loop thread: under load, its heartbeats never
/// queue behind the per-request questions the layer sends to Auth, which is what would let
/// the trust lapse exactly when memory matters most.
public final class AccessFeedFollower: Service, Sendable {
    public struct Settings: Sendable {
        /// How long after the feed last vouched the held state may answer.
        public var freshness: Duration
        /// How long one long poll may wait for events (below `freshness`, so heartbeats keep it).
        public var wait: Duration
        /// Pause after a failed poll.
        public var retryDelay: Duration

        public init(freshness: Duration = .milliseconds(500), wait: Duration = .milliseconds(200),
                    retryDelay: Duration = .milliseconds(100)) {
            self.freshness = freshness
            self.wait = wait
            self.retryDelay = retryDelay
        }
    }

    let auth: ServiceHTTPClient
    let listeners: [any AccessFeedListener]
    let settings: Settings
    let metrics: PlatformMetrics
    let logger: Logger

    /// `auth`: a client for Auth's management listener; its timeout bounds each poll and must
    /// exceed `settings.wait`.
    public init(auth: ServiceHTTPClient, listeners: [any AccessFeedListener], settings: Settings = Settings(),
                metrics: PlatformMetrics, logger: Logger) {
        self.auth = auth
        self.listeners = listeners
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = HTTPClient(eventLoopGroup: group, configuration: .init(connectionPool: .init(idleTimeout: .seconds(60),
                                                                                             concurrentHTTP1ConnectionsPerHostSoftLimit: 1)))
        let feed = ServiceHTTPClient(callee: auth.callee, baseURL: auth.baseURL, client: client, timeout: auth.timeout,
                                     credentials: auth.credentialsProvider)
        await follow(with: feed)
        try? await client.shutdown()
        try? await group.shutdownGracefully()
    }

    private func follow(with feed: ServiceHTTPClient) async {
        let events = metrics.counter("kisum_access_feed_events_total", help: "Access change events applied from Auth's feed.")
        let failures = metrics.counter("kisum_access_feed_failures_total", help: "Polls of Auth's access feed that failed.")
        let resyncs = metrics.counter("kisum_access_feed_resyncs_total", help: "Times the access state was dropped to resync with the feed.")
        let vouched = metrics.gauge("kisum_access_feed_last_complete_timestamp_seconds",
                                    help: "When the feed last vouched for the in-memory state (Unix time); now minus this is the feed's lag.")
        var cursor: AccessFeedCursor?
        var failing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let sent = ContinuousClock.now
            do {
                let page = try await poll(after: cursor, with: feed)
                if cursor == nil || page.resync {
                    listeners.forEach { $0.dropAll() }
                    if page.resync {
                        resyncs.increment()
                        logger.warning("access feed: resync (the cursor is out of the feed's reach)")
                    }
                }
                listeners.forEach { $0.apply(page.events) }
                events.increment(by: Int64(page.events.count))
                cursor = page.cursor
                if let complete = page.completeSince(sent: sent) {
                    listeners.forEach { $0.trust(until: complete + settings.freshness) }
                    vouched.set(Date().timeIntervalSince1970)
                }
                if failing {
                    failing = false
                    logger.notice("access feed: following again", metadata: ["cursor": .string(page.cursor.description)])
                }
                // An empty answer that came back at once (Auth's reader not yet current): pause
                // briefly rather than asking again in a tight loop.
                if page.events.isEmpty, ContinuousClock.now - sent < .milliseconds(20) {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(50)) }
                }
            } catch {
                failures.increment()
                if !failing {
                    failing = true
                    logger.warning("access feed: poll failed; deciding per request with Auth until it recovers",
                                   metadata: ["error_type": .type(of: error), "error_detail": .detail(of: error)])
                }
                try? await cancelWhenGracefulShutdown { [delay = settings.retryDelay] in try await Task.sleep(for: delay) }
            }
        }
    }

    private func poll(after cursor: AccessFeedCursor?, with feed: ServiceHTTPClient) async throws -> AccessFeedPage {
        let query = cursor.map { "?after=\($0)&wait_ms=\(settings.wait.wholeMilliseconds)" } ?? ""
        let reply = try await cancelWhenGracefulShutdown { try await feed.send(.get, "/internal/v1/access-feed" + query) }
        guard reply.status == 200 else { throw FeedRefused(status: reply.status) }
        return try reply.decode(AccessFeedPage.self)
    }
}

/// Auth answered the feed with something other than 200.
struct FeedRefused: Error, CustomStringConvertible {
    let status: Int
    var description: String { "Auth answered the access feed with \(status)" }
}
