import Foundation
import Hummingbird
import Logging
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// A company's roles: the system roles plus its custom ones.
struct RoleView: Codable, Sendable {
    var id: UUID
    var key: String
    var name: String
    var permissions: [String]
    var system: Bool
}

/// Custom roles per company (Admin): list, create, change, delete. System roles are read-only.
/// Changing a role's permissions bumps the access version of every membership holding it
/// (and of those holding delegations from them).
struct RoleAdminRoutes: Sendable {
    /// Writes return once this instance's access memory shows them.
    let feed: AccessFeedPublisher
    let database: PlatformDatabase
    let audit: any SessionRepository

    struct RoleInput: Decodable, Sendable {
        let key: String
        let name: String
        let permissions: [String]
    }

    struct RoleChange: Decodable, Sendable {
        let name: String?
        let permissions: [String]
        let reason: String?
    }

    struct RoleList: Encodable, Sendable, ResponseEncodable {
        let roles: [RoleView]
    }

    static let systemRole = PlatformError.Code("system_role", .conflict)
    static let roleInUse = PlatformError.Code("role_in_use", .conflict)

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        let admin = daemon.internalRoutes(on: router, path: "/internal/v1/companies/{company}/roles", callers: ["admin"])
            .add(middleware: SettlesAccessMemory(feed: feed))
        admin.get { _, context in
            RoleList(roles: try await roles(company: try context.uuidParameter("company"), logger: context.logger))
        }
        admin.post { request, context in
            let company = try context.uuidParameter("company")
            let input = try await request.decodeJSON(as: RoleInput.self, context: context)
            try AccessKeys.role(input.key)
            try AccessKeys.permissions(input.permissions)
            guard !AccessKeys.systemRoles.contains(input.key) else { throw PlatformError(Self.systemRole, "\(input.key) is a system role") }
            try TextInput.requireLength(input.name, 1...200, field: "name")
            let id = UUID()
            let rows: [PostgresRow]
            do {
                rows = try await database.query("""
                    INSERT INTO roles (id, company_id, key, name, permissions)
                    VALUES (\(id), \(company), \(input.key), \(input.name), \(Array(Set(input.permissions)).sorted()))
                    ON CONFLICT DO NOTHING RETURNING id
                    """, operation: "role_create", logger: context.logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
                throw PlatformError(.notFound, "no company \(company)")
            }
            guard !rows.isEmpty else { throw PlatformError(IdentityAdminRoutes.alreadyExists, "the company has a role \(input.key)") }
            try await audit.recordAdmin("role_create", target: "\(company.lowercased)/\(input.key)", request: request, context: context,
                                        details: ["after": input.permissions.sorted().joined(separator: ",")])
            return EditedResponse(status: .created, response: ["id": id.lowercased])
        }
        admin.put("{key}") { request, context in
            let company = try context.uuidParameter("company")
            let key = context.parameters.get("key") ?? ""
            let input = try await request.decodeJSON(as: RoleChange.self, context: context)
            try AccessKeys.permissions(input.permissions)
            try AccessKeys.reason(input.reason)
            let permissions = Array(Set(input.permissions)).sorted()
            let before = try await database.withTransaction("role_update", logger: context.logger) { connection in
                let role = try await customRole(company: company, key: key, on: connection, logger: context.logger)
                try await connection.query("""
                    UPDATE roles SET permissions = \(permissions), name = coalesce(\(input.name), name) WHERE id = \(role.id)
                    """, logger: context.logger)
                let holders = try await connection.query("SELECT membership_id FROM membership_roles WHERE role_id = \(role.id)",
                                                         logger: context.logger).collect().map { try $0.decode(UUID.self) }
                try await AccessVersions.bump(memberships: holders, on: connection, logger: context.logger)
                return role.permissions
            }
            try await audit.recordAdmin("role_update", target: "\(company.lowercased)/\(key)", request: request, context: context,
                                        details: ["before": before.joined(separator: ","), "after": permissions.joined(separator: ","),
                                                  "reason": input.reason ?? ""])
            return ["key": key]
        }
        admin.delete("{key}") { request, context in
            let company = try context.uuidParameter("company")
            let key = context.parameters.get("key") ?? ""
            let before = try await database.withTransaction("role_delete", logger: context.logger) { connection in
                let role = try await customRole(company: company, key: key, on: connection, logger: context.logger)
                let holders = try await connection.query("SELECT count(*) FROM membership_roles WHERE role_id = \(role.id)",
                                                         logger: context.logger).collect()
                guard try holders.first?.decode(Int.self) == 0 else {
                    throw PlatformError(Self.roleInUse, "memberships still hold \(key); take it from them first")
                }
                try await connection.query("DELETE FROM roles WHERE id = \(role.id)", logger: context.logger)
                return role.permissions
            }
            try await audit.recordAdmin("role_delete", target: "\(company.lowercased)/\(key)", request: request, context: context,
                                        details: ["before": before.joined(separator: ",")])
            return Response(status: .noContent)
        }
    }

    func roles(company: UUID, logger: Logger) async throws -> [RoleView] {
        try await database.query("""
            SELECT id, key, name, permissions, company_id IS NULL FROM roles
            WHERE company_id IS NULL OR company_id = \(company) ORDER BY company_id NULLS FIRST, key
            """, operation: "roles_list", logger: logger).map { row in
            let (id, key, name, permissions, system) = try row.decode((UUID, String, String, [String], Bool).self)
            return RoleView(id: id, key: key, name: name, permissions: permissions, system: system)
        }
    }

    /// A company's custom role, locked for the transaction.
    private func customRole(company: UUID, key: String, on connection: PostgresConnection,
                            logger: Logger) async throws -> (id: UUID, permissions: [String]) {
        if AccessKeys.systemRoles.contains(key) { throw PlatformError(Self.systemRole, "system roles cannot be changed") }
        let rows = try await connection.query("""
            SELECT id, permissions FROM roles WHERE company_id = \(company) AND key = \(key) FOR UPDATE
            """, logger: logger).collect()
        guard let row = rows.first else { throw PlatformError(.notFound, "the company has no custom role \(key)") }
        let (id, permissions) = try row.decode((UUID, [String]).self)
        return (id, permissions)
    }
}
