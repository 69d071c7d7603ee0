import AccessControl
import Hummingbird
import PlatformDaemon
import PlatformKit
import ServiceAuth

/// `GET /internal/v1/access-feed?after=<cursor>&wait_ms=<n>`: the access change feed for
/// services that enforce access (service credentials). A long poll: it answers as soon as there
/// are events after `after`, or after `wait_ms` (at most 1000) with none — each answer is a
/// heartbeat saying how current the feed is. Without `after` it answers at once with the
/// feed's current position.
struct AccessFeedRoutes: Sendable {
    let publisher: AccessFeedPublisher

    static let invalidCursor = PlatformError.Code("invalid_cursor", .badRequest)
    static let maximumWait: Duration = .seconds(1)

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        daemon.internalRoutes(on: router, path: "/internal/v1", callers: Set(["admin"]).union(NetworkPolicy.accessEnforcers))
            .get("access-feed") { request, _ in
                let arrived = ContinuousClock.now
                let query = request.uri.queryParameters
                let cursor: AccessFeedCursor? = try query.get("after").map { text in
                    guard let cursor = AccessFeedCursor(text) else { throw PlatformError(Self.invalidCursor, "after is not a feed cursor") }
                    return cursor
                }
                let wait = try query.get("wait_ms").map { text in
                    guard let milliseconds = Int(text), (0...Self.maximumWait.wholeMilliseconds).contains(milliseconds) else {
                        throw PlatformError(.invalidRequest, "wait_ms is 0…\(Self.maximumWait.wholeMilliseconds)")
                    }
                    return Duration.milliseconds(milliseconds)
                } ?? .zero
                return try await publisher.page(after: cursor, wait: cursor == nil ? .zero : wait, arrived: arrived)
            }
    }
}
