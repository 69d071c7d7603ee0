import AccessControl
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit

/// `POST /internal/v1/admin-context` (Admin): in one call, whether a platform administrator's
/// session is live (and its token's key not retired) and which platform roles the user holds
/// now. Admin asks whenever the access feed cannot vouch for what it holds.
struct AdminContextRoutes: Sendable {
    let sessions: any SessionRepository
    let repository: AccessRepository
    let denials: AccessDenials

    struct Input: Decodable, Sendable {
        let sessionID: UUID
        let userID: UUID
        let keyID: String?
        enum CodingKeys: String, CodingKey { case sessionID = "session_id", userID = "user_id", keyID = "key_id" }
    }

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        daemon.internalRoutes(on: router, path: "/internal/v1", callers: ["admin"]).post("admin-context") { request, context in
            let input = try await request.decodeJSON(as: Input.self, context: context)
            guard let sessionEnds = try await sessions.liveUntil(sessionID: input.sessionID, userID: input.userID) else {
                await denials.record(.sessionRevoked, userID: input.userID, sessionID: input.sessionID, company: nil, route: "admin_context",
                                     requestID: context.trace.requestID)
                return AdminContextAnswer(allowed: false, reason: "session_revoked", email: nil, platformRoles: [])
            }
            if let kid = input.keyID, !(try await repository.signingKeyIsLive(kid)) {
                await denials.record(.keyRetired, userID: input.userID, sessionID: input.sessionID, company: nil, route: "admin_context",
                                     requestID: context.trace.requestID)
                return AdminContextAnswer(allowed: false, reason: "key_retired", email: nil, platformRoles: [])
            }
            guard let user = try await repository.user(input.userID), user.active else {
                await denials.record(.userInactive, userID: input.userID, sessionID: input.sessionID, company: nil, route: "admin_context",
                                     requestID: context.trace.requestID)
                return AdminContextAnswer(allowed: false, reason: "user_inactive", email: nil, platformRoles: [])
            }
            return AdminContextAnswer(allowed: true, reason: nil, email: user.email, platformRoles: user.platformRoles.sorted(),
                                      validUntil: sessionEnds)
        }
    }
}
