import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// `AuditLog` on `admin_db`.
struct PostgresAuditLog: AuditLog {
    let database: PlatformDatabase
    let logger: Logger

    func begin(_ intent: AuditIntent) async throws -> Int64 {
        try await insert(intent, outcome: "pending", errorCode: nil)
    }

    func finish(_ id: Int64, outcome: String, after: String?, errorCode: String?) async throws {
        _ = try await database.query("""
            UPDATE admin_audit_events SET outcome = \(outcome), after = \(after)::jsonb, error_code = \(errorCode), finished_at = now()
            WHERE id = \(id)
            """, operation: "audit_finish", logger: logger)
    }

    func denied(_ intent: AuditIntent, errorCode: String) async throws {
        _ = try await insert(intent, outcome: "denied", errorCode: errorCode)
    }

    private func insert(_ intent: AuditIntent, outcome: String, errorCode: String?) async throws -> Int64 {
        let rows = try await database.query("""
            INSERT INTO admin_audit_events (actor_id, actor_email, permission, action, target_type, target, reason, before, outcome,
                                            error_code, request_id, finished_at)
            VALUES (\(intent.actor.userID), \(intent.actor.email), \(intent.permission.rawValue), \(intent.action), \(intent.targetType),
                    \(intent.target), \(intent.reason), \(intent.before)::jsonb, \(outcome), \(errorCode), \(intent.requestID),
                    CASE WHEN \(outcome) = 'pending' THEN NULL ELSE now() END)
            RETURNING id
            """, operation: "audit_insert", logger: logger)
        return try rows[0].decode(Int64.self)
    }

    func list(_ filter: AuditFilter) async throws -> [AuditEntry] {
        try await database.query("""
            SELECT id, created_at, finished_at, actor_id, actor_email, permission, action, target_type, target, reason,
                   before::text, after::text, outcome, error_code, request_id
            FROM admin_audit_events
            WHERE (\(filter.actorID)::uuid IS NULL OR actor_id = \(filter.actorID))
              AND (\(filter.action)::text IS NULL OR action = \(filter.action))
              AND (\(filter.target)::text IS NULL OR target = \(filter.target))
              AND (\(filter.outcome)::text IS NULL OR outcome = \(filter.outcome))
              AND (\(filter.since)::timestamptz IS NULL OR created_at >= \(filter.since))
              AND (\(filter.until)::timestamptz IS NULL OR created_at < \(filter.until))
              AND (\(filter.before)::bigint IS NULL OR id < \(filter.before))
            ORDER BY id DESC LIMIT \(filter.limit)
            """, operation: "audit_list", logger: logger).map { row in
            let (id, created, finished, actorID, email, permission, action, targetType, target, reason, before, after, outcome, code,
                 requestID) = try row.decode((Int64, Date, Date?, UUID, String, String, String, String, String, String?, String?, String?,
                                              String, String?, String?).self)
            return AuditEntry(id: id, createdAt: created, finishedAt: finished, actorID: actorID, actorEmail: email, permission: permission,
                              action: action, targetType: targetType, target: target, reason: reason, before: before, after: after,
                              outcome: outcome, errorCode: code, requestID: requestID)
        }
    }
}
