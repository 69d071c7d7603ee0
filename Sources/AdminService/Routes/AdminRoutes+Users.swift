import Foundation
import Hummingbird
import NIOCore
import PlatformKit

extension AdminRoutes {
    /// Users and access: find and view (`users.read`), end sessions (`sessions.revoke`; ending
    /// every session of a user is high-risk), status and platform roles (`users.manage`;
    /// disabling is high-risk), invalidate access (`access.invalidate`), explain access
    /// (`access.explain`).
    func addUsers(to group: RouterGroup<PlatformRequestContext>) {
        group.get("users") { request, context in
            try await read(.usersRead, request, context) {
                try await auth.send(.get, "/internal/v1/users" + Self.query(request, ["email", "query", "limit", "after"]))
            }
        }
        group.get("users/{user}") { request, context in
            _ = try await gate.require(.usersRead, request, context)
            let user = try context.uuidParameter("user")
            async let identity = auth.send(.get, "/internal/v1/users/\(user)")
            async let sessions = auth.send(.get, "/internal/v1/users/\(user)/sessions")
            guard var object = try await identity.json() as? [String: Any] else { throw PlatformError(.internalError, "unexpected user") }
            object["sessions"] = (try await sessions.json() as? [String: Any])?["sessions"]
            return Upstream.Answer(status: 200, body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
                .response
        }
        group.post("sessions/{session}/revoke") { request, context in
            let session = try context.uuidParameter("session")
            let input = try await request.decodeJSON(as: ReasonInput.self, context: context)
            let action = AdminActions.Action(name: "session.revoke", permission: .sessionsRevoke, targetType: "session",
                                             target: session.lowercased)
            return try await actions.perform(action, input: input, request, context) { admin in
                try await auth.send(.post, "/internal/v1/sessions/\(session)/revoke", json: input.forwarded, actor: admin)
            }
        }
        group.post("users/{user}/sessions/revoke-all") { request, context in
            let checked = try await gate.require(.sessionsRevoke, request, context)
            let (user, email) = try await userEmail(context)
            let input = try await request.decodeJSON(as: ReasonInput.self, context: context)
            let action = AdminActions.Action(name: "user.sessions.revoke_all", permission: .sessionsRevoke, targetType: "user", target: email,
                                             confirmation: email)
            return try await actions.perform(action, input: input, request, context, identity: checked) { admin in
                try await auth.send(.post, "/internal/v1/users/\(user)/sessions/revoke-all", json: input.forwarded, actor: admin)
            }
        }
        group.post("users/{user}/status") { request, context in
            let checked = try await gate.require(.usersManage, request, context)
            let (user, email) = try await userEmail(context)
            let input = try await request.decodeJSON(as: StatusInput.self, context: context)
            guard ["active", "disabled"].contains(input.status) else { throw PlatformError(.validationFailed, "status is active or disabled") }
            let action = AdminActions.Action(name: "user.status.\(input.status)", permission: .usersManage, targetType: "user", target: email,
                                             confirmation: input.status == "disabled" ? email : nil)
            return try await actions.perform(action, input: input, request, context, identity: checked) { admin in
                try await auth.send(.post, "/internal/v1/users/\(user)/status", json: input.forwarded, actor: admin)
            }
        }
        group.put("users/{user}/platform-roles") { request, context in
            let checked = try await gate.require(.usersManage, request, context)
            let (user, email) = try await userEmail(context)
            let input = try await request.decodeJSON(as: PlatformRolesInput.self, context: context)
            let unknown = Set(input.platformRoles).subtracting(PlatformRole.grants.keys)
            guard unknown.isEmpty else {
                throw PlatformError(.validationFailed, "unknown platform roles: \(unknown.sorted().joined(separator: ", "))")
            }
            let action = AdminActions.Action(name: "user.platform_roles", permission: .usersManage, targetType: "user", target: email)
            return try await actions.perform(action, input: input, request, context, identity: checked,
                                             before: { try await auth.send(.get, "/internal/v1/users/\(user)") }) { admin in
                try await auth.send(.put, "/internal/v1/users/\(user)/platform-roles",
                                    json: PlatformRolesBody(platform_roles: input.platformRoles, reason: input.reason), actor: admin)
            }
        }
        group.post("access/invalidate") { request, context in
            let input = try await request.decodeJSON(as: InvalidateInput.self, context: context)
            let target = [input.companyID, input.membershipID, input.userID].compactMap { $0 }
            guard target.count == 1, let id = target.first else {
                throw PlatformError(.validationFailed, "give exactly one of company_id, membership_id, user_id")
            }
            let kind = input.companyID != nil ? "company" : input.membershipID != nil ? "membership" : "user"
            let action = AdminActions.Action(name: "access.invalidate", permission: .accessInvalidate, targetType: kind,
                                             target: id.lowercased)
            return try await actions.perform(action, input: input, request, context) { admin in
                try await auth.send(.post, "/internal/v1/access/invalidate", json: ["\(kind)_id": id.lowercased], actor: admin)
            }
        }
        group.post("access/explain") { request, context in
            _ = try await gate.require(.accessExplain, request, context)
            var input = try await request.decodeJSON(as: ExplainInput.self, context: context)
            if input.user_id == nil, let email = input.email {
                // On-call usually starts from an email: resolve it.
                struct Page: Decodable { struct User: Decodable { let id: UUID }; let users: [User] }
                let query = email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? email
                guard let user = try await auth.send(.get, "/internal/v1/users?email=\(query)").decode(Page.self).users.first else {
                    throw PlatformError(.notFound, "no user with email \(email)")
                }
                input.user_id = user.id
            }
            guard input.user_id != nil else { throw PlatformError(.validationFailed, "give user_id or email") }
            return try await auth.send(.post, "/internal/v1/access/explain", json: input, changesAccess: false).response
        }
    }

    struct PlatformRolesBody: Encodable, Sendable {
        let platform_roles: [String]
        let reason: String?
    }

    struct ExplainInput: Codable, Sendable {
        var user_id: UUID?
        var email: String?
        let company: String
        let module: String
        let permission: String?
        let session_id: UUID?
    }

    /// The user in the path and their email (what high-risk confirmations name).
    private func userEmail(_ context: PlatformRequestContext) async throws -> (UUID, String) {
        let user = try context.uuidParameter("user")
        struct User: Decodable { let email: String }
        return (user, try await auth.send(.get, "/internal/v1/users/\(user)").decode(User.self).email)
    }
}
