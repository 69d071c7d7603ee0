import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit

/// `POST /internal/v1/admin-context` (Admin): in one call, whether a platform administrator's
/// session is live and which platform roles the user holds now. Admin asks on every request,
/// so a revoked session or a removed role takes effect at once.
struct AdminContextRoutes: Sendable {
    let sessions: any SessionRepository
    let repository: AccessRepository
    let denials: AccessDenials

    struct Input: Decodable, Sendable {
        let sessionID: UUID
        let userID: UUID
        enum CodingKeys: String, CodingKey { case sessionID = "session_id", userID = "user_id" }
    }

    struct Reply: Encodable, Sendable, ResponseEncodable {
        let allowed: Bool
        let reason: String?
        let email: String?
        let platformRoles: [String]

        enum CodingKeys: String, CodingKey {
            case allowed, reason, email
            case platformRoles = "platform_roles"
        }
    }

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        daemon.internalRoutes(on: router, path: "/internal/v1", callers: ["admin"]).post("admin-context") { request, context in
            let input = try await request.decodeJSON(as: Input.self, context: context)
            guard try await sessions.isLive(sessionID: input.sessionID, userID: input.userID) else {
                await denials.record(.sessionRevoked, userID: input.userID, sessionID: input.sessionID, company: nil, route: "admin_context",
                                     requestID: context.trace.requestID)
                return Reply(allowed: false, reason: "session_revoked", email: nil, platformRoles: [])
            }
            guard let user = try await repository.user(input.userID), user.active else {
                await denials.record(.userInactive, userID: input.userID, sessionID: input.sessionID, company: nil, route: "admin_context",
                                     requestID: context.trace.requestID)
                return Reply(allowed: false, reason: "user_inactive", email: nil, platformRoles: [])
            }
            return Reply(allowed: true, reason: nil, email: user.email, platformRoles: user.platformRoles.sorted())
        }
    }
}
