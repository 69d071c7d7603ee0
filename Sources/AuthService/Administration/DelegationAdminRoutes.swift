import Foundation
import Hummingbird
import Logging
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// A delegation: one membership lends some of its own role permissions to another membership
/// of the same company until `expires_at`, or until revoked.
struct DelegationView: Codable, Sendable, ResponseEncodable {
    var id: UUID
    var companyID: UUID
    var fromMembershipID: UUID
    var toMembershipID: UUID
    var permissions: [String]
    var expiresAt: Date
    var revokedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, permissions
        case companyID = "company_id"
        case fromMembershipID = "from_membership_id"
        case toMembershipID = "to_membership_id"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
    }
}

/// Delegations (Admin): create and revoke. A delegation may only carry permissions its
/// delegator holds through roles (no re-delegation), between two active memberships of one
/// company, for at most a year. Creating or revoking bumps the receiver's access version.
struct DelegationAdminRoutes: Sendable {
    /// Writes return once this instance's access memory shows them.
    let feed: AccessFeedPublisher
    let database: PlatformDatabase
    let audit: any SessionRepository

    struct CreateInput: Decodable, Sendable {
        let fromMembershipID: UUID
        let toMembershipID: UUID
        let permissions: [String]
        let expiresAt: Date
        let reason: String?

        enum CodingKeys: String, CodingKey {
            case permissions, reason
            case fromMembershipID = "from_membership_id"
            case toMembershipID = "to_membership_id"
            case expiresAt = "expires_at"
        }
    }

    struct RevokeInput: Decodable, Sendable {
        let reason: String?
    }

    static let notDelegable = PlatformError.Code("permission_not_delegable", .unprocessableContent)
    static let maximumLifetime: TimeInterval = 366 * 86_400

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        let admin = daemon.internalRoutes(on: router, path: "/internal/v1/delegations", callers: ["admin"])
            .add(middleware: SettlesAccessMemory(feed: feed))
        admin.post { request, context in
            let input = try await request.decodeJSON(as: CreateInput.self, context: context)
            let permissions = Array(Set(input.permissions)).sorted()
            guard !permissions.isEmpty else { throw PlatformError(.validationFailed, "permissions must not be empty") }
            try AccessKeys.permissions(permissions)
            try AccessKeys.reason(input.reason)
            guard input.fromMembershipID != input.toMembershipID else { throw PlatformError(.validationFailed, "a membership cannot delegate to itself") }
            let lifetime = input.expiresAt.timeIntervalSinceNow
            guard lifetime > 0, lifetime <= Self.maximumLifetime else {
                throw PlatformError(.validationFailed, "expires_at must be in the future and within a year")
            }
            let id = UUID()
            let company = try await database.withTransaction("delegation_create", logger: context.logger) { connection in
                let rows = try await connection.query("""
                    SELECT f.company_id, f.status, t.company_id, t.status, fg.role_permissions
                    FROM memberships f JOIN membership_grants fg ON fg.membership_id = f.id, memberships t
                    WHERE f.id = \(input.fromMembershipID) AND t.id = \(input.toMembershipID)
                    FOR UPDATE OF t
                    """, logger: context.logger).collect()
                guard let row = rows.first else { throw PlatformError(.notFound, "no such memberships") }
                let (fromCompany, fromStatus, toCompany, toStatus, held) = try row.decode((UUID, String, UUID, String, [String]).self)
                guard fromCompany == toCompany else { throw PlatformError(.validationFailed, "both memberships must be in one company") }
                guard fromStatus == "active", toStatus == "active" else { throw PlatformError(.validationFailed, "both memberships must be active") }
                let missing = Set(permissions).subtracting(held)
                guard missing.isEmpty else {
                    throw PlatformError(Self.notDelegable, "the delegator does not hold \(missing.sorted().joined(separator: ", "))")
                }
                try await connection.query("""
                    INSERT INTO delegations (id, company_id, from_membership, to_membership, permissions, expires_at)
                    VALUES (\(id), \(fromCompany), \(input.fromMembershipID), \(input.toMembershipID), \(permissions), \(input.expiresAt))
                    """, logger: context.logger)
                try await AccessVersions.bump(memberships: [input.toMembershipID], on: connection, logger: context.logger)
                return fromCompany
            }
            try await audit.recordAdmin("delegation_create", target: id.lowercased, request: request, context: context,
                                        details: ["company": company.lowercased, "from": input.fromMembershipID.lowercased,
                                                  "to": input.toMembershipID.lowercased, "after": permissions.joined(separator: ","),
                                                  "expires_at": ISO8601DateFormatter().string(from: input.expiresAt),
                                                  "reason": input.reason ?? ""])
            return EditedResponse(status: .created, response: ["id": id.lowercased])
        }
        admin.post("{delegation}/revoke") { request, context in
            let delegation = try context.uuidParameter("delegation")
            let input = try await request.decodeJSON(as: RevokeInput.self, context: context)
            try AccessKeys.reason(input.reason)
            try await database.withTransaction("delegation_revoke", logger: context.logger) { connection in
                let rows = try await connection.query("""
                    UPDATE delegations SET revoked_at = now() WHERE id = \(delegation) AND revoked_at IS NULL RETURNING to_membership
                    """, logger: context.logger).collect()
                guard let receiver = try rows.first?.decode(UUID.self) else { throw PlatformError(.notFound, "no live delegation \(delegation)") }
                try await AccessVersions.bump(memberships: [receiver], on: connection, logger: context.logger)
            }
            try await audit.recordAdmin("delegation_revoke", target: delegation.lowercased, request: request, context: context,
                                        details: ["reason": input.reason ?? ""])
            return ["revoked": true]
        }
    }

    /// Unexpired, unrevoked delegations given or received by `membership`.
    static func list(database: PlatformDatabase, membership: UUID, logger: Logger) async throws -> [DelegationView] {
        try await database.query("""
            SELECT id, company_id, from_membership, to_membership, permissions, expires_at, revoked_at FROM delegations
            WHERE (from_membership = \(membership) OR to_membership = \(membership)) AND revoked_at IS NULL AND expires_at > now()
            ORDER BY created_at
            """, operation: "delegations_list", logger: logger).map { row in
            let (id, company, from, to, permissions, expires, revoked) = try row.decode((UUID, UUID, UUID, UUID, [String], Date, Date?).self)
            return DelegationView(id: id, companyID: company, fromMembershipID: from, toMembershipID: to, permissions: permissions,
                                  expiresAt: expires, revokedAt: revoked)
        }
    }
}
