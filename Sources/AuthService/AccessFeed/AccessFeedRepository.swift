import AccessControl
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Reads Auth's access change feed (`access_events`, written by triggers in the transaction
/// of each change) and keeps it bounded.
struct AccessFeedRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    /// Where the feed stands for one reader, from one snapshot.
    struct Horizon: Sendable {
        /// Every transaction with a smaller id has ended: its events can be handed out.
        let tx: Int64
        /// A transaction at or past `tx` has committed events, so what is handed out now is not
        /// yet everything committed.
        let pending: Bool
        /// Retention removed everything up to here.
        let pruned: AccessFeedCursor

        /// The cursor meaning "every event of every ended transaction".
        var head: AccessFeedCursor { AccessFeedCursor(tx: tx, id: 0) }
    }

    /// One read: the events after `cursor` (at most `limit`), and whether they are all of
    /// them. nil when `cursor` is out of reach (pruned, or from a newer database).
    struct Read: Sendable {
        let horizon: Horizon
        let events: [AccessEvent]
        let cursor: AccessFeedCursor
        /// Every change committed before the read began is at or before `cursor`.
        let complete: Bool
    }

    func horizon() async throws -> Horizon {
        let rows = try await database.query("""
            WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS tx)
            SELECT h.tx, EXISTS (SELECT 1 FROM access_events WHERE tx >= h.tx), r.pruned_tx, r.pruned_id
            FROM h, access_feed_retention r
            """, operation: "access_feed_horizon", logger: logger)
        guard let row = rows.first else { throw AccessFeedBroken(reason: "access_feed_retention has no row") }
        let (tx, pending, prunedTx, prunedID) = try row.decode((Int64, Bool, Int64, Int64).self)
        return Horizon(tx: tx, pending: pending, pruned: AccessFeedCursor(tx: prunedTx, id: prunedID))
    }

    /// The events after `cursor`, up to `limit`; nil when `cursor` is out of reach.
    func read(after cursor: AccessFeedCursor, limit: Int) async throws -> Read? {
        let horizon = try await horizon()
        guard cursor >= horizon.pruned, cursor.tx <= horizon.tx else { return nil }
        // A second snapshot, later than the horizon's: every transaction below the horizon
        // had ended before it, so it sees all of their events.
        let rows = try await database.query("""
            SELECT tx, id, kind, user_id, company_id, membership_id, session_id, key_id FROM access_events
            WHERE (tx, id) > (\(cursor.tx), \(cursor.id)) AND tx < \(horizon.tx)
            ORDER BY tx, id LIMIT \(limit)
            """, operation: "access_feed_read", logger: logger)
        let events = try rows.map { row in
            let (tx, id, kind, user, company, membership, session, key) =
                try row.decode((Int64, Int64, String, UUID?, UUID?, UUID?, UUID?, String?).self)
            return AccessEvent(cursor: AccessFeedCursor(tx: tx, id: id), kind: kind, userID: user, companyID: company,
                               membershipID: membership, sessionID: session, keyID: key)
        }
        let truncated = events.count == limit
        return Read(horizon: horizon, events: events,
                    cursor: truncated ? events[events.count - 1].cursor : max(cursor, horizon.head),
                    complete: !truncated && !horizon.pending)
    }

    /// Holds a connection LISTENing for commits of events and calls `committed` for each (and
    /// once on subscribing, for whatever came before). Returns or throws when the connection
    /// ends; ends when cancelled.
    func listen(_ committed: @escaping @Sendable () -> Void) async throws {
        try await database.withConnection("access_feed_listen") { connection in
            try await connection.listen(on: "access_events") { notifications in
                committed()
                for try await _ in notifications { committed() }
            }
        }
    }

    /// Deletes events older than `retention` (only of ended transactions) and records how far
    /// it got, so a reader behind it is told to resync. Returns how many were deleted.
    @discardableResult
    func prune(olderThan retention: Duration) async throws -> Int {
        // Short transactions of at most `pruneBatch` rows: a long one would hold back every
        // reader's horizon (and this step's deadline) on a large table.
        var total = 0
        while true {
            let deleted = try await pruneBatch(olderThan: retention)
            total += deleted
            guard deleted == Self.pruneBatch, !Task.isCancelled else { return total }
        }
    }

    static let pruneBatch = 5_000

    private func pruneBatch(olderThan retention: Duration) async throws -> Int {
        try await database.withTransaction("access_feed_prune", logger: logger) { connection in
            let rows = try await connection.query("""
                WITH gone AS (
                    DELETE FROM access_events WHERE id IN (
                        SELECT id FROM access_events
                        WHERE created_at < now() - make_interval(secs => \(retention.secondsValue))
                          AND tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                        ORDER BY tx, id LIMIT \(Self.pruneBatch))
                    RETURNING tx, id)
                SELECT count(*), (SELECT tx FROM gone ORDER BY tx DESC, id DESC LIMIT 1),
                       (SELECT id FROM gone ORDER BY tx DESC, id DESC LIMIT 1) FROM gone
                """, logger: logger).collect()
            guard let row = rows.first else { return 0 }
            let (count, tx, id) = try row.decode((Int64, Int64?, Int64?).self)
            if let tx, let id {
                try await connection.query("""
                    UPDATE access_feed_retention SET pruned_tx = \(tx), pruned_id = \(id)
                    WHERE (pruned_tx, pruned_id) < (\(tx), \(id))
                    """, logger: logger)
            }
            return Int(count)
        }
    }

    /// Marks delegations that have passed their expiry (once each) and bumps the access
    /// version of the memberships they lent to: the feed says so, and cached snapshots of the
    /// receivers are no longer reachable. Returns how many delegations expired.
    @discardableResult
    func announceExpiredDelegations() async throws -> Int {
        try await database.withTransaction("delegation_expiry", logger: logger) { connection in
            let receivers = try await connection.query("""
                UPDATE delegations SET expiry_announced = true
                WHERE expires_at <= now() AND NOT expiry_announced AND revoked_at IS NULL
                RETURNING to_membership
                """, logger: logger).collect().map { try $0.decode(UUID.self) }
            guard !receivers.isEmpty else { return 0 }
            try await AccessVersions.bump(memberships: Array(Set(receivers)), on: connection, logger: logger)
            return receivers.count
        }
    }
}

/// The feed's own bookkeeping is missing (a database not migrated by us): reported, never a trap.
struct AccessFeedBroken: Error, CustomStringConvertible {
    let reason: String
    var description: String { "access feed: \(reason)" }
}
