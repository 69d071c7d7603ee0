import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// A user's status and platform roles (Admin). Disabling a user ends every session of theirs
/// and bumps the access versions of their memberships and of the memberships their
/// delegations lend to, in the same transaction.
struct UserAdminRoutes: Sendable {
    /// Writes return once this instance's access memory shows them.
    let feed: AccessFeedPublisher
    let database: PlatformDatabase
    let audit: any SessionRepository

    struct StatusInput: Decodable, Sendable {
        let status: String
        let reason: String?
    }

    struct RolesInput: Decodable, Sendable {
        let platformRoles: [String]
        let reason: String?
        enum CodingKeys: String, CodingKey { case reason, platformRoles = "platform_roles" }
    }

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        let admin = daemon.internalRoutes(on: router, path: "/internal/v1/users/{user}", callers: ["admin"])
            .add(middleware: SettlesAccessMemory(feed: feed))
        admin.post("status") { request, context in
            let user = try context.uuidParameter("user")
            let input = try await request.decodeJSON(as: StatusInput.self, context: context)
            guard ["active", "disabled"].contains(input.status) else { throw PlatformError(.validationFailed, "status is active or disabled") }
            try AccessKeys.reason(input.reason)
            let before: String = try await database.withTransaction("user_status", logger: context.logger) { connection in
                let rows = try await connection.query("""
                    UPDATE users u SET status = \(input.status), updated_at = now()
                    FROM (SELECT id, status FROM users WHERE id = \(user) FOR UPDATE) old WHERE u.id = old.id RETURNING old.status
                    """, logger: context.logger).collect()
                guard let before = try rows.first?.decode(String.self) else { throw PlatformError(.notFound, "no user \(user)") }
                if input.status == "disabled" {
                    try await connection.query("""
                        UPDATE sessions SET revoked_at = now(), revoke_reason = 'user_disabled' WHERE user_id = \(user) AND revoked_at IS NULL
                        """, logger: context.logger)
                    try await connection.query("""
                        UPDATE password_reset_tokens SET used_at = now() WHERE user_id = \(user) AND used_at IS NULL
                        """, logger: context.logger)
                }
                // The user's memberships and every membership holding a live delegation from
                // them: a delegation carries only what an active delegator holds.
                let memberships = try await connection.query("SELECT id FROM memberships WHERE user_id = \(user)",
                                                             logger: context.logger).collect().map { try $0.decode(UUID.self) }
                try await AccessVersions.bump(memberships: memberships, on: connection, logger: context.logger)
                return before
            }
            try await audit.recordAdmin("user_status", target: user.lowercased, request: request, context: context,
                                        details: ["before": before, "after": input.status, "reason": input.reason ?? ""])
            return ["status": input.status]
        }
        admin.put("platform-roles") { request, context in
            let user = try context.uuidParameter("user")
            let input = try await request.decodeJSON(as: RolesInput.self, context: context)
            let roles = Array(Set(input.platformRoles)).sorted()
            for role in roles where role.range(of: "^platform_[a-z_]{1,40}$", options: .regularExpression) == nil {
                throw PlatformError(.validationFailed, "platform role \(role.debugDescription) is not platform_*")
            }
            try AccessKeys.reason(input.reason)
            let rows = try await database.query("""
                UPDATE users u SET platform_roles = \(roles), updated_at = now()
                FROM (SELECT id, platform_roles FROM users WHERE id = \(user) FOR UPDATE) old WHERE u.id = old.id
                RETURNING old.platform_roles
                """, operation: "user_platform_roles", logger: context.logger)
            guard let before = try rows.first?.decode([String].self) else { throw PlatformError(.notFound, "no user \(user)") }
            try await audit.recordAdmin("user_platform_roles", target: user.lowercased, request: request, context: context,
                                        details: ["before": before.joined(separator: ","), "after": roles.joined(separator: ","),
                                                  "reason": input.reason ?? ""])
            return ["platform_roles": roles]
        }
    }
}
