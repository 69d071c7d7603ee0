import Foundation
import Logging
import PostgresNIO

/// Bumps access versions inside an administrative transaction, so every cached snapshot of
/// the affected memberships becomes unreachable the moment the change commits.
enum AccessVersions {
    /// The memberships themselves and every membership holding a live delegation from one of
    /// them (a delegation only carries what its delegator still holds).
    /// Returns how many memberships were bumped.
    @discardableResult
    static func bump(memberships: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> Int {
        guard !memberships.isEmpty else { return 0 }
        return try await connection.query("""
            UPDATE memberships SET access_version = access_version + 1
            WHERE id = ANY(\(memberships))
               OR id IN (SELECT to_membership FROM delegations
                         WHERE from_membership = ANY(\(memberships)) AND revoked_at IS NULL AND expires_at > now())
            RETURNING id
            """, logger: logger).collect().count
    }
}
