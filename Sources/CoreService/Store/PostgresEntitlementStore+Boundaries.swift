import Foundation
import PlatformPostgres
import PostgresNIO

extension PostgresEntitlementStore {
    /// Bumps every company whose subscription or add-on period started or ended since the
    /// last sweep; returns how many. One instance sweeps at a time (the sweep row is locked).
    public func sweepPeriodBoundaries() async throws -> Int {
        try await database.withTransaction("boundary_sweep", logger: logger) { connection in
            try await connection.query(
                "INSERT INTO entitlement_boundary_sweeps (id, swept_until) VALUES (1, now()) ON CONFLICT DO NOTHING",
                logger: logger)
            let rows = try await connection.query(
                "SELECT swept_until, now() FROM entitlement_boundary_sweeps WHERE id = 1 FOR UPDATE", logger: logger).collect()
            let (from, until) = try rows[0].decode((Date, Date).self)
            let companies = try await connection.query("""
                SELECT company_id FROM company_subscriptions
                 WHERE (period_start > \(from) AND period_start <= \(until)) OR (period_end > \(from) AND period_end <= \(until))
                UNION
                SELECT company_id FROM company_addons
                 WHERE (period_start > \(from) AND period_start <= \(until)) OR (period_end > \(from) AND period_end <= \(until))
                ORDER BY 1
                """, logger: logger).collect()
            let change = ChangeContext(actor: "core:boundary-sweeper", requestID: nil)
            for row in companies {
                _ = try await Self.bump(try row.decode(UUID.self), change: "period_boundary", before: nil, after: nil,
                                        context: change, on: connection, logger: logger)
            }
            try await connection.query("UPDATE entitlement_boundary_sweeps SET swept_until = \(until) WHERE id = 1", logger: logger)
            return companies.count
        }
    }
}
