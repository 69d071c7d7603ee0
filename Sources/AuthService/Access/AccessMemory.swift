import AccessControl
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformKit
import Prometheus

/// `/auth/me/access` answers held in memory, kept current by Auth's own change feed: the
/// feed's pump hands this every event it reads (an answer goes as soon as an event names its
/// session, user, membership or company) and vouches for what it applied after each complete
/// pass, for a short while past the pass's start (`AccessFeedPublisher.Settings.localTrust`). Past that (the pump stalled, the database
/// away) every request reads the database again.
///
/// This process's own writes show at once: its routes that change access return only after
/// the pump has read past them (`AccessFeedPublisher.settle`). Writes made elsewhere (another
/// instance, an operator's SQL) show within the feed's propagation bound, like everywhere else.
final class AccessMemory: AccessFeedListener {
    /// One answer: the encoded snapshot, served as bytes.
    struct Answer: Sendable {
        let body: ByteBuffer
        let companyID: UUID

        init(_ snapshot: AccessSnapshot) throws {
            body = ByteBuffer(bytes: try JSONEncoder.platform.encode(snapshot))
            companyID = snapshot.companyID
        }

        var response: Response {
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
        }
    }

    typealias Key = AccessState<Answer>.Key
    let state: AccessState<Answer>
    private let answered: Counter

    init(capacity: Int = 100_000, metrics: PlatformMetrics) {
        state = AccessState(capacity: capacity)
        answered = metrics.counter("kisum_auth_access_memory_answers_total",
                                   help: "/auth/me/access answers served from the feed-kept memory (no database read).")
    }

    /// The held answer for `key`, while the feed vouches for it.
    func lookup(_ key: Key) -> Answer? {
        guard let answer = state.lookup(key) else { return nil }
        answered.increment()
        return answer
    }

    /// The key of a session's access in one company, with the token's signing key (a token of
    /// a retired key is refused by the database path, never answered from here).
    static func key(_ identity: AccessIdentity, _ org: OrgReference) -> Key {
        Key(session: identity.sessionID, scope: "\(org.value) \(identity.keyID)")
    }

    func apply(_ events: [AccessEvent]) {
        state.apply(events)
        // Keys are part of every key here: a retirement drops everything (rare, and safe).
        if events.contains(where: { $0.knownKind == .signingKeyRetired }) { state.dropAll() }
    }

    func dropAll() { state.dropAll() }

    func trust(until instant: ContinuousClock.Instant) { state.trust(until: instant) }
}
