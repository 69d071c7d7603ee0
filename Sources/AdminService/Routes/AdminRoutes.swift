import Foundation
import Hummingbird
import Logging
import PlatformKit

/// Admin's public API (`/admin/v1/…`): the gate, the audited action runner and the two
/// upstreams. Each capability adds its routes in an extension (`AdminRoutes+Catalog`, …).
struct AdminRoutes: Sendable {
    let gate: AdminGate
    let actions: AdminActions
    let auth: Upstream
    let core: Upstream
    let audit: any AuditLog
    let overview: OperationsOverview

    func add(to router: Router<PlatformRequestContext>) {
        let group = router.group("/admin/v1")
        group.get("me") { request, context in
            let identity = try await gate.identify(request, context)
            guard !identity.roles.isEmpty else { throw PlatformError(AdminGate.notAnAdministrator, "Platform administration needs a platform role.") }
            return Me(userID: identity.userID, email: identity.email, platformRoles: identity.roles,
                      permissions: identity.permissions.map(\.rawValue).sorted())
        }
        addCatalog(to: group)
        addCompanies(to: group)
        addUsers(to: group)
        addMemberships(to: group)
        addKeys(to: group)
        addOperations(to: group)
        addAudit(to: group)
    }

    struct Me: Encodable, Sendable, ResponseEncodable {
        let userID: UUID
        let email: String
        let platformRoles: [String]
        let permissions: [String]

        enum CodingKeys: String, CodingKey {
            case email, permissions
            case userID = "user_id"
            case platformRoles = "platform_roles"
        }
    }

    /// A read for administrators holding `permission`, answered by `body`.
    func read(_ permission: AdminPermission, _ request: Request, _ context: PlatformRequestContext,
              _ body: () async throws -> Upstream.Answer) async throws -> Response {
        _ = try await gate.require(permission, request, context)
        return try await body().response
    }

    /// The caller's Idempotency-Key, or a fresh one (Core applies a write once per key).
    static func idempotencyKey(_ request: Request) -> String {
        if let key = request.headers[.idempotencyKey], (1...200).contains(key.count) { return "admin:" + key }
        return "admin:" + UUID().uuidString
    }

    /// Query parameters passed on to an upstream list route (only the named ones).
    static func query(_ request: Request, _ names: [String]) -> String {
        var components = URLComponents()
        components.queryItems = names.compactMap { name in request.uri.queryParameters.get(name).map { URLQueryItem(name: name, value: $0) } }
        return components.queryItems?.isEmpty == false ? "?" + (components.percentEncodedQuery ?? "") : ""
    }
}
