import Foundation
import Hummingbird
import Logging
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Identity administration for the Admin backend (and the local seed): create users,
/// companies and memberships, and change a company's status. Each change that affects access
/// bumps the affected memberships' access versions in the same statement's transaction.
struct IdentityAdminRoutes: Sendable {
    /// Writes return once this instance's access memory shows them.
    let feed: AccessFeedPublisher
    let database: PlatformDatabase
    let passwords: PasswordHasher
    let audit: any SessionRepository
    let logger: Logger

    struct UserInput: Decodable, Sendable {
        let email: String
        let password: String
        let platformRoles: [String]?
        enum CodingKeys: String, CodingKey { case email, password, platformRoles = "platform_roles" }
    }

    struct CompanyInput: Decodable, Sendable {
        let id: UUID?
        let slug: String
        let name: String
        let status: String?
    }

    struct StatusInput: Decodable, Sendable {
        let status: String
        let reason: String?
    }

    struct MembershipInput: Decodable, Sendable {
        let userID: UUID
        let companyID: UUID
        let roles: [String]
        let modules: [String]
        enum CodingKeys: String, CodingKey { case roles, modules, userID = "user_id", companyID = "company_id" }
    }

    static let statuses: Set<String> = ["pending", "approved", "rejected", "suspended"]
    static let alreadyExists = PlatformError.Code("already_exists", .conflict)

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        let admin = daemon.internalRoutes(on: router, path: "/internal/v1", callers: ["admin"])
            .add(middleware: SettlesAccessMemory(feed: feed))
        admin.post("users") { request, context in
            let input = try await request.decodeJSON(as: UserInput.self, context: context)
            guard input.email.contains("@"), (3...320).contains(TextInput.length(input.email)) else { throw PlatformError(.validationFailed, "email is not valid") }
            try TextInput.requireLength(input.password, 10...1024, field: "a password")
            let id = UUID(), hash = try await passwords.hash(input.password)
            let rows = try await database.query("""
                INSERT INTO users (id, email, password_hash, platform_roles) VALUES (\(id), \(input.email), \(hash), \(input.platformRoles ?? []))
                ON CONFLICT DO NOTHING RETURNING id
                """, operation: "user_create", logger: context.logger)
            guard !rows.isEmpty else { throw PlatformError(Self.alreadyExists, "a user with this email exists") }
            try await audit.recordAdmin("user_create", target: id.uuidString, request: request, context: context,
                                        details: ["email": input.email, "platform_roles": (input.platformRoles ?? []).joined(separator: ",")])
            return ["id": id.lowercased]
        }
        admin.post("companies") { request, context in
            let input = try await request.decodeJSON(as: CompanyInput.self, context: context)
            let status = input.status ?? "pending"
            guard Self.statuses.contains(status) else { throw PlatformError(.validationFailed, "unknown status \(status)") }
            guard input.slug.range(of: "^[a-z0-9][a-z0-9-]{1,62}$", options: .regularExpression) != nil else {
                throw PlatformError(.validationFailed, "slug is 2-63 of a-z, 0-9 and -")
            }
            let id = input.id ?? UUID()
            let rows = try await database.query("""
                INSERT INTO companies (id, slug, name, status) VALUES (\(id), \(input.slug), \(input.name), \(status))
                ON CONFLICT DO NOTHING RETURNING id
                """, operation: "company_create", logger: context.logger)
            guard !rows.isEmpty else { throw PlatformError(Self.alreadyExists, "a company with this id or slug exists") }
            try await audit.recordAdmin("company_create", target: id.uuidString, request: request, context: context,
                                        details: ["slug": input.slug, "status": status])
            return ["id": id.lowercased]
        }
        admin.post("companies/{company}/status") { request, context in
            guard let company = context.parameters.get("company", as: UUID.self) else { throw PlatformError(.invalidRequest, "company must be a UUID") }
            let input = try await request.decodeJSON(as: StatusInput.self, context: context)
            guard Self.statuses.contains(input.status) else { throw PlatformError(.validationFailed, "unknown status \(input.status)") }
            let before: String? = try await database.withTransaction("company_status", logger: context.logger) { connection in
                let rows = try await connection.query("""
                    UPDATE companies c SET status = \(input.status), updated_at = now()
                    FROM (SELECT id, status FROM companies WHERE id = \(company) FOR UPDATE) old
                    WHERE c.id = old.id RETURNING old.status
                    """, logger: context.logger).collect()
                try await connection.query("UPDATE memberships SET access_version = access_version + 1 WHERE company_id = \(company)",
                                           logger: context.logger)
                return try rows.first?.decode(String.self)
            }
            guard let before else { throw PlatformError(.notFound, "no company \(company)") }
            try await audit.recordAdmin("company_status", target: company.uuidString, request: request, context: context,
                                        details: ["before": before, "after": input.status, "reason": input.reason ?? ""])
            context.logger.notice("company status changed", metadata: ["company_id": .string(company.uuidString), "status": .string(input.status)])
            return ["status": input.status]
        }
        admin.post("memberships") { request, context in
            let input = try await request.decodeJSON(as: MembershipInput.self, context: context)
            let id = UUID()
            do {
                try await createMembership(id: id, input, logger: context.logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
                throw PlatformError(.validationFailed, "no such user or company")
            }
            try await audit.recordAdmin("membership_create", target: id.uuidString, request: request, context: context,
                                        details: ["roles": input.roles.sorted().joined(separator: ","), "modules": input.modules.sorted().joined(separator: ",")])
            return ["id": id.lowercased]
        }
    }

    private func createMembership(id: UUID, _ input: MembershipInput, logger: Logger) async throws {
        try await database.withTransaction("membership_create", logger: logger) { connection in
                let inserted = try await connection.query("""
                    INSERT INTO memberships (id, user_id, company_id) VALUES (\(id), \(input.userID), \(input.companyID))
                    ON CONFLICT DO NOTHING RETURNING id
                    """, logger: logger).collect()
                guard !inserted.isEmpty else { throw PlatformError(Self.alreadyExists, "this user is already a member") }
                let roles = try await connection.query("""
                    INSERT INTO membership_roles (membership_id, role_id)
                    SELECT \(id), r.id FROM roles r
                    WHERE r.key = ANY(\(input.roles)) AND (r.company_id IS NULL OR r.company_id = \(input.companyID))
                    RETURNING role_id
                    """, logger: logger).collect()
                guard roles.count == Set(input.roles).count else { throw PlatformError(.validationFailed, "unknown role in \(input.roles)") }
                for module in Set(input.modules) {
                    try await connection.query("INSERT INTO membership_module_grants VALUES (\(id), \(module))", logger: logger)
                }
        }
    }
}
