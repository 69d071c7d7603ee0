import Hummingbird

/// One answer of Auth's access feed (`GET /internal/v1/access-feed`): the events after the
/// caller's cursor, the cursor to ask with next, and how current the answer is.
public struct AccessFeedPage: Sendable, Codable, Equatable, ResponseEncodable {
    /// Ask with this next. Always at or after the cursor asked with, unless `resync`.
    public let cursor: AccessFeedCursor
    public let events: [AccessEvent]
    /// The cursor asked with is out of the feed's reach (retention, or another database): drop
    /// everything held and continue from `cursor`.
    public let resync: Bool
    /// Every change committed up to this many milliseconds before the answer was sent is in
    /// the events up to `cursor`; nil when that cannot be said (more to read, or a change still
    /// being committed). A consumer trusts what it holds only while this is recent.
    public let completeAgeMilliseconds: Int?
    /// How long Auth held the question before answering (a long poll's wait), measured at the
    /// same moment as `completeAgeMilliseconds`, rounded down; nil from an older Auth. The
    /// moment the feed was complete is then no earlier than `sent + held - age` on the
    /// consumer's clock, however long the answer took to arrive.
    public let heldMilliseconds: Int?

    public init(cursor: AccessFeedCursor, events: [AccessEvent], resync: Bool, completeAgeMilliseconds: Int?,
                heldMilliseconds: Int? = nil) {
        self.cursor = cursor
        self.events = events
        self.resync = resync
        self.completeAgeMilliseconds = completeAgeMilliseconds
        self.heldMilliseconds = heldMilliseconds
    }

    /// The latest moment, on the consumer's clock, that the feed was certainly complete,
    /// given when the question was `sent` and the answer `received`; nil when the answer does
    /// not vouch. Never later than `received`, whatever the answer claims.
    public func completeSince(sent: ContinuousClock.Instant, received: ContinuousClock.Instant = .now) -> ContinuousClock.Instant? {
        guard let age = completeAgeMilliseconds else { return nil }
        // Rounding: age is rounded down by Auth, so one millisecond is added back.
        return min(received, sent + .milliseconds(max(0, heldMilliseconds ?? 0)) - .milliseconds(age + 1))
    }

    enum CodingKeys: String, CodingKey {
        case cursor, events, resync
        case completeAgeMilliseconds = "complete_age_ms"
        case heldMilliseconds = "held_ms"
    }
}
