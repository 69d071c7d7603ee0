import Foundation
import NIOConcurrencyHelpers

/// What this process holds about sessions' access, answered from memory while Auth's change
/// feed is current, and dropped entry by entry as the feed names what changed.
///
/// The trust rule: `lookup` answers only while the feed has vouched for the state recently
/// (`trust(until:)`); past that, callers ask Auth. A fill that raced a change is not kept:
/// `store` refuses a value fetched before an event was applied.
public final class AccessState<Value: Sendable>: Sendable {
    /// What one entry is about, for the feed's events to find it.
    public struct Subject: Sendable, Hashable {
        public var session: UUID
        public var user: UUID
        public var membership: UUID?
        public var company: UUID?

        public init(session: UUID, user: UUID, membership: UUID? = nil, company: UUID? = nil) {
            self.session = session
            self.user = user
            self.membership = membership
            self.company = company
        }
    }

    /// An entry's key: the session and what it asked about (a normalised `x-org`, or "").
    public struct Key: Sendable, Hashable {
        public var session: UUID
        public var scope: String

        public init(session: UUID, scope: String) {
            self.session = session
            self.scope = scope
        }
    }

    /// A ticket from `beginFill`, handed back to `store`.
    public struct FillTicket: Sendable, Equatable {
        let epoch: UInt64
    }

    private struct Entry {
        var value: Value
        var subject: Subject
        var expires: ContinuousClock.Instant
    }

    private struct Storage {
        var entries: [Key: Entry] = [:]
        var bySession: [UUID: Set<Key>] = [:]
        var byUser: [UUID: Set<Key>] = [:]
        var byMembership: [UUID: Set<Key>] = [:]
        var byCompany: [UUID: Set<Key>] = [:]
        /// Entries that name no company (refusals before a company was known).
        var noCompany: Set<Key> = []
        /// Moves on every applied change: fills begun before it are not kept.
        var epoch: UInt64 = 0
        var trustedUntil: ContinuousClock.Instant?

        mutating func remove(_ key: Key) {
            guard let entry = entries.removeValue(forKey: key) else { return }
            Self.unindex(key, entry.subject.session, in: &bySession)
            Self.unindex(key, entry.subject.user, in: &byUser)
            if let membership = entry.subject.membership { Self.unindex(key, membership, in: &byMembership) }
            if let company = entry.subject.company { Self.unindex(key, company, in: &byCompany) } else { noCompany.remove(key) }
        }

        mutating func removeAll(in index: [UUID: Set<Key>], for id: UUID?) {
            guard let id, let keys = index[id] else { return }
            keys.forEach { remove($0) }
        }

        static func unindex(_ key: Key, _ id: UUID, in index: inout [UUID: Set<Key>]) {
            index[id]?.remove(key)
            if index[id]?.isEmpty == true { index[id] = nil }
        }
    }

    /// At most this many entries (a full state drops its oldest half of a random sample; the
    /// next request asks Auth again).
    public let capacity: Int
    /// No entry lives longer than this, whatever the feed says.
    public let maximumAge: Duration
    private let storage = NIOLockedValueBox(Storage())

    public init(capacity: Int = 100_000, maximumAge: Duration = .seconds(600)) {
        self.capacity = capacity
        self.maximumAge = maximumAge
    }

    /// The value for `key`, if the feed is current and the entry has not expired.
    public func lookup(_ key: Key, now: ContinuousClock.Instant = .now) -> Value? {
        storage.withLockedValue { storage in
            guard let trusted = storage.trustedUntil, now < trusted, let entry = storage.entries[key] else { return nil }
            guard now < entry.expires else {
                storage.remove(key)
                return nil
            }
            return entry.value
        }
    }

    /// Whether the feed vouches for what is held at `now`.
    public func isTrusted(now: ContinuousClock.Instant = .now) -> Bool {
        storage.withLockedValue { storage in storage.trustedUntil.map { now < $0 } ?? false }
    }

    /// Call before asking Auth for a value to `store`.
    public func beginFill() -> FillTicket { FillTicket(epoch: storage.withLockedValue { $0.epoch }) }

    /// Keeps `value` until `validUntil` (capped by `maximumAge`) unless a change was applied
    /// since `ticket` was taken. Returns whether it was kept.
    @discardableResult
    public func store(_ value: Value, for key: Key, subject: Subject, ticket: FillTicket, validUntil: Date? = nil,
                      now: ContinuousClock.Instant = .now) -> Bool {
        var expires = now + maximumAge
        if let validUntil {
            let left = validUntil.timeIntervalSinceNow
            guard left > 0 else { return false }
            expires = min(expires, now + .milliseconds(Int64(left * 1000)))
        }
        return storage.withLockedValue { storage in
            guard storage.epoch == ticket.epoch else { return false }
            if storage.entries.count >= capacity, storage.entries[key] == nil {
                for victim in storage.entries.keys.shuffled().prefix(max(1, capacity / 2)) { storage.remove(victim) }
            }
            storage.remove(key)
            storage.entries[key] = Entry(value: value, subject: subject, expires: expires)
            storage.bySession[subject.session, default: []].insert(key)
            storage.byUser[subject.user, default: []].insert(key)
            if let membership = subject.membership { storage.byMembership[membership, default: []].insert(key) }
            if let company = subject.company { storage.byCompany[company, default: []].insert(key) } else { storage.noCompany.insert(key) }
            return true
        }
    }

    /// Drops every entry an event names (all of them for a kind this build does not know).
    public func apply(_ events: [AccessEvent]) {
        guard !events.isEmpty else { return }
        storage.withLockedValue { storage in
            storage.epoch &+= 1
            var companiesChanged = false
            for event in events {
                switch event.knownKind {
                case .sessionRevoked:
                    storage.removeAll(in: storage.bySession, for: event.sessionID)
                    if event.sessionID == nil { storage.removeAll(in: storage.byUser, for: event.userID) }
                case .userChanged:
                    storage.removeAll(in: storage.byUser, for: event.userID)
                case .membershipChanged, .delegationChanged:
                    // The user too: a new membership can turn a refusal into access.
                    storage.removeAll(in: storage.byMembership, for: event.membershipID)
                    storage.removeAll(in: storage.byUser, for: event.userID)
                case .companyChanged, .roleChanged:
                    storage.removeAll(in: storage.byCompany, for: event.companyID)
                    companiesChanged = true
                    if event.companyID == nil { storage = Storage(epoch: storage.epoch, trustedUntil: storage.trustedUntil) }
                case .signingKeyRetired:
                    break  // the token verifier drops the key; sessions are unaffected
                case nil:
                    storage = Storage(epoch: storage.epoch, trustedUntil: storage.trustedUntil)
                }
            }
            // Entries that name no company may be about a company that was just renamed or
            // reinstated: dropped once per batch, not per event.
            if companiesChanged {
                let keys = storage.noCompany
                keys.forEach { storage.remove($0) }
            }
        }
    }

    /// Drops everything (a resync, or the feed's first answer).
    public func dropAll() {
        storage.withLockedValue { storage in
            storage = Storage(epoch: storage.epoch &+ 1, trustedUntil: storage.trustedUntil)
        }
    }

    /// The feed vouches for the state until `instant` (never moves backwards).
    public func trust(until instant: ContinuousClock.Instant) {
        storage.withLockedValue { storage in
            if storage.trustedUntil.map({ instant > $0 }) ?? true { storage.trustedUntil = instant }
        }
    }

    /// Entries held (metrics, tests).
    public var count: Int { storage.withLockedValue { $0.entries.count } }
}
