import Foundation
import Hummingbird
import Logging
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// A user as administrators see it.
struct UserView: Codable, Sendable, ResponseEncodable {
    var id: UUID
    var email: String
    var status: String
    var platformRoles: [String]
    var createdAt: Date
    var memberships: [MembershipSummary]?

    enum CodingKeys: String, CodingKey {
        case id, email, status, memberships
        case platformRoles = "platform_roles"
        case createdAt = "created_at"
    }
}

/// A company as administrators see it.
struct CompanyView: Codable, Sendable, ResponseEncodable {
    var id: UUID
    var slug: String
    var name: String
    var status: String
    var members: Int
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, slug, name, status, members
        case createdAt = "created_at"
    }
}

/// Look-ups for the Admin backend: users by email (exact or prefix), a user with their
/// memberships, companies by slug/name search and status, keyset-paginated.
struct IdentityQueryRoutes: Sendable {
    let database: PlatformDatabase
    let repository: AccessRepository

    struct UserPage: Encodable, Sendable, ResponseEncodable {
        let users: [UserView]
        let nextAfter: String?
        enum CodingKeys: String, CodingKey { case users, nextAfter = "next_after" }
    }

    struct CompanyPage: Encodable, Sendable, ResponseEncodable {
        let companies: [CompanyView]
        let nextAfter: String?
        enum CodingKeys: String, CodingKey { case companies, nextAfter = "next_after" }
    }

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        let admin = daemon.internalRoutes(on: router, path: "/internal/v1", callers: ["admin"])
        admin.get("users") { request, context in
            let query = request.uri.queryParameters
            let limit = request.pageLimit()
            let after = query.get("after") ?? ""
            let email = query.get("email").map { String($0.prefix(320)) }
            let prefix = query.get("query").map { String($0.prefix(320)).lowercased() } ?? ""
            let users = try await database.query("""
                SELECT id, email, status, platform_roles, created_at FROM users
                WHERE (\(email)::text IS NULL OR lower(email) = lower(\(email)))
                  AND lower(email) LIKE \(Self.likePrefix(prefix)) AND lower(email) > \(after.lowercased())
                ORDER BY lower(email) LIMIT \(limit)
                """, operation: "users_search", logger: context.logger).map(Self.user)
            return UserPage(users: users, nextAfter: users.count == limit ? users.last?.email.lowercased() : nil)
        }
        admin.get("users/{user}") { _, context in
            let id = try context.uuidParameter("user")
            let rows = try await database.query("SELECT id, email, status, platform_roles, created_at FROM users WHERE id = \(id)",
                                                operation: "user_read", logger: context.logger)
            guard var user = try rows.first.map(Self.user) else { throw PlatformError(.notFound, "no user \(id)") }
            user.memberships = try await repository.memberships(userID: id)
            return user
        }
        admin.get("companies") { request, context in
            let query = request.uri.queryParameters
            let limit = request.pageLimit()
            let after = query.get("after") ?? ""
            let status = query.get("status")
            if let status, !IdentityAdminRoutes.statuses.contains(status) { throw PlatformError(.validationFailed, "unknown status \(status)") }
            let text = query.get("query").map { String($0.prefix(200)).lowercased() } ?? ""
            let pattern = "%" + Self.escapeLike(text) + "%"
            let companies = try await database.query("""
                SELECT c.id, c.slug, c.name, c.status, c.created_at,
                       (SELECT count(*) FROM memberships m WHERE m.company_id = c.id)::int
                FROM companies c
                WHERE (c.slug LIKE \(pattern) OR lower(c.name) LIKE \(pattern)) AND (\(status)::text IS NULL OR c.status = \(status))
                  AND c.slug > \(after)
                ORDER BY c.slug LIMIT \(limit)
                """, operation: "companies_search", logger: context.logger).map(Self.company)
            return CompanyPage(companies: companies, nextAfter: companies.count == limit ? companies.last?.slug : nil)
        }
        admin.get("companies/{company}") { _, context in
            let key = (context.parameters.get("company") ?? "").lowercased()
            let id = UUID(uuidString: key)
            let rows = try await database.query("""
                SELECT c.id, c.slug, c.name, c.status, c.created_at,
                       (SELECT count(*) FROM memberships m WHERE m.company_id = c.id)::int
                FROM companies c WHERE c.slug = \(key) OR c.id = \(id)
                """, operation: "company_read", logger: context.logger)
            guard let company = try rows.first.map(Self.company) else { throw PlatformError(.notFound, "no company \(key)") }
            return company
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    static func likePrefix(_ text: String) -> String { escapeLike(text) + "%" }

    static func user(_ row: PostgresRow) throws -> UserView {
        let (id, email, status, roles, created) = try row.decode((UUID, String, String, [String], Date).self)
        return UserView(id: id, email: email, status: status, platformRoles: roles, createdAt: created, memberships: nil)
    }

    static func company(_ row: PostgresRow) throws -> CompanyView {
        let (id, slug, name, status, created, members) = try row.decode((UUID, String, String, String, Date, Int).self)
        return CompanyView(id: id, slug: slug, name: name, status: status, members: members, createdAt: created)
    }
}
