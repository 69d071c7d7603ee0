import Foundation
import Hummingbird
import Logging
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// One membership as administrators see it: roles, module grants and delegations both ways.
struct MembershipDetail: Encodable, Sendable, ResponseEncodable {
    var id: UUID
    var userID: UUID
    var companyID: UUID
    var status: String
    var accessVersion: Int64
    var roles: [String]
    var modules: [String]
    var delegationsReceived: [DelegationView]
    var delegationsGiven: [DelegationView]

    enum CodingKeys: String, CodingKey {
        case id, status, roles, modules
        case userID = "user_id"
        case companyID = "company_id"
        case accessVersion = "access_version"
        case delegationsReceived = "delegations_received"
        case delegationsGiven = "delegations_given"
    }
}

/// A membership's roles, module grants and status (Admin). Every change bumps the access
/// version of the membership (and of memberships holding delegations from it) in the same
/// transaction, and is audited with its before and after.
struct MembershipAdminRoutes: Sendable {
    /// Writes return once this instance's access memory shows them.
    let feed: AccessFeedPublisher
    let database: PlatformDatabase
    let audit: any SessionRepository

    struct KeysInput: Decodable, Sendable {
        let roles: [String]?
        let modules: [String]?
        let reason: String?
    }

    struct StatusInput: Decodable, Sendable {
        let status: String
        let reason: String?
    }

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        let admin = daemon.internalRoutes(on: router, path: "/internal/v1/memberships/{membership}", callers: ["admin"])
            .add(middleware: SettlesAccessMemory(feed: feed))
        admin.get { _, context in try await detail(try context.uuidParameter("membership"), logger: context.logger) }
        admin.put("roles") { request, context in
            let membership = try context.uuidParameter("membership")
            let input = try await request.decodeJSON(as: KeysInput.self, context: context)
            guard let roles = input.roles.map({ Array(Set($0)).sorted() }) else { throw PlatformError(.validationFailed, "roles is required") }
            try roles.forEach(AccessKeys.role)
            try AccessKeys.reason(input.reason)
            let before = try await change(membership, "membership_roles", context) { connection, company in
                let before = try await connection.query("""
                    SELECT coalesce(array_agg(r.key ORDER BY r.key), '{}') FROM membership_roles mr JOIN roles r ON r.id = mr.role_id
                    WHERE mr.membership_id = \(membership)
                    """, logger: context.logger).collect()
                try await connection.query("DELETE FROM membership_roles WHERE membership_id = \(membership)", logger: context.logger)
                let inserted = try await connection.query("""
                    INSERT INTO membership_roles (membership_id, role_id)
                    SELECT \(membership), r.id FROM roles r WHERE r.key = ANY(\(roles)) AND (r.company_id IS NULL OR r.company_id = \(company))
                    RETURNING role_id
                    """, logger: context.logger).collect()
                guard inserted.count == roles.count else { throw PlatformError(.validationFailed, "unknown role in \(roles)") }
                return try before.first?.decode([String].self) ?? []
            }
            try await audit.recordAdmin("membership_roles", target: membership.lowercased, request: request, context: context,
                                        details: ["before": before.joined(separator: ","), "after": roles.joined(separator: ","),
                                                  "reason": input.reason ?? ""])
            return try await detail(membership, logger: context.logger)
        }
        admin.put("modules") { request, context in
            let membership = try context.uuidParameter("membership")
            let input = try await request.decodeJSON(as: KeysInput.self, context: context)
            guard let modules = input.modules.map({ Array(Set($0)).sorted() }) else { throw PlatformError(.validationFailed, "modules is required") }
            try AccessKeys.modules(modules)
            try AccessKeys.reason(input.reason)
            let before = try await change(membership, "membership_grants", context) { connection, _ in
                let before = try await connection.query("""
                    DELETE FROM membership_module_grants WHERE membership_id = \(membership) RETURNING module_key
                    """, logger: context.logger).collect().map { try $0.decode(String.self) }
                try await connection.query("""
                    INSERT INTO membership_module_grants (membership_id, module_key) SELECT \(membership), unnest(\(modules)::text[])
                    """, logger: context.logger)
                return before.sorted()
            }
            try await audit.recordAdmin("membership_grants", target: membership.lowercased, request: request, context: context,
                                        details: ["before": before.joined(separator: ","), "after": modules.joined(separator: ","),
                                                  "reason": input.reason ?? ""])
            return try await detail(membership, logger: context.logger)
        }
        admin.post("status") { request, context in
            let membership = try context.uuidParameter("membership")
            let input = try await request.decodeJSON(as: StatusInput.self, context: context)
            guard ["active", "inactive"].contains(input.status) else { throw PlatformError(.validationFailed, "status is active or inactive") }
            try AccessKeys.reason(input.reason)
            let before = try await change(membership, "membership_status", context) { connection, _ in
                let rows = try await connection.query("""
                    UPDATE memberships m SET status = \(input.status) FROM (SELECT id, status FROM memberships WHERE id = \(membership)) old
                    WHERE m.id = old.id RETURNING old.status
                    """, logger: context.logger).collect()
                return [try rows.first?.decode(String.self) ?? ""]
            }
            try await audit.recordAdmin("membership_status", target: membership.lowercased, request: request, context: context,
                                        details: ["before": before.joined(), "after": input.status, "reason": input.reason ?? ""])
            return try await detail(membership, logger: context.logger)
        }
    }

    /// Runs `body` in a transaction with the membership locked (given its company), then bumps
    /// the access versions it affects.
    private func change(_ membership: UUID, _ operation: String, _ context: PlatformRequestContext,
                        _ body: @escaping @Sendable (PostgresConnection, UUID) async throws -> [String]) async throws -> [String] {
        try await database.withTransaction(operation, logger: context.logger) { connection in
            let rows = try await connection.query("SELECT company_id FROM memberships WHERE id = \(membership) FOR UPDATE",
                                                  logger: context.logger).collect()
            guard let company = try rows.first?.decode(UUID.self) else { throw PlatformError(.notFound, "no membership \(membership)") }
            let before = try await body(connection, company)
            try await AccessVersions.bump(memberships: [membership], on: connection, logger: context.logger)
            return before
        }
    }

    func detail(_ membership: UUID, logger: Logger) async throws -> MembershipDetail {
        let rows = try await database.query("""
            SELECT m.user_id, m.company_id, m.status, m.access_version,
                   coalesce((SELECT array_agg(r.key ORDER BY r.key) FROM membership_roles mr JOIN roles r ON r.id = mr.role_id
                             WHERE mr.membership_id = m.id), '{}'),
                   coalesce((SELECT array_agg(g.module_key ORDER BY g.module_key) FROM membership_module_grants g
                             WHERE g.membership_id = m.id), '{}')
            FROM memberships m WHERE m.id = \(membership)
            """, operation: "membership_read", logger: logger)
        guard let row = rows.first else { throw PlatformError(.notFound, "no membership \(membership)") }
        let (user, company, status, version, roles, modules) = try row.decode((UUID, UUID, String, Int64, [String], [String]).self)
        let delegations = try await DelegationAdminRoutes.list(database: database, membership: membership, logger: logger)
        return MembershipDetail(id: membership, userID: user, companyID: company, status: status, accessVersion: version, roles: roles,
                                modules: modules, delegationsReceived: delegations.filter { $0.toMembershipID == membership },
                                delegationsGiven: delegations.filter { $0.fromMembershipID == membership })
    }
}
