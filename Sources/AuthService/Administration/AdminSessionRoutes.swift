import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit

/// Session administration for the Admin backend: list a user's sessions, revoke one, revoke
/// all. Revocation is written to the database first, so the session's tokens are refused by
/// every check from the moment the call returns.
struct AdminSessionRoutes: Sendable {
    /// Writes return once this instance's access memory shows them.
    let feed: AccessFeedPublisher
    let sessions: any SessionRepository

    struct ReasonInput: Decodable, Sendable {
        let reason: String?
    }

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        let admin = daemon.internalRoutes(on: router, path: "/internal/v1", callers: ["admin"])
            .add(middleware: SettlesAccessMemory(feed: feed))
        admin.get("users/{user}/sessions") { _, context in
            let user = try context.uuidParameter("user")
            return AdminSessionList(sessions: try await sessions.liveSessions(userID: user))
        }
        admin.post("sessions/{session}/revoke") { request, context in
            let session = try context.uuidParameter("session")
            let input = try await request.decodeJSON(as: ReasonInput.self, context: context)
            guard try await sessions.revoke(sessionID: session, userID: nil, reason: "admin:\(input.reason ?? "unspecified")") else {
                throw PlatformError(.notFound, "no live session \(session)")
            }
            try await sessions.recordAdmin("session_revoke", target: session.uuidString, request: request, context: context,
                                           details: ["reason": input.reason ?? ""])
            return ["revoked": true]
        }
        admin.post("users/{user}/sessions/revoke-all") { request, context in
            let user = try context.uuidParameter("user")
            let input = try await request.decodeJSON(as: ReasonInput.self, context: context)
            let count = try await sessions.revokeAll(userID: user, reason: "admin:\(input.reason ?? "unspecified")")
            try await sessions.recordAdmin("logout_all", target: user.uuidString, request: request, context: context,
                                           details: ["reason": input.reason ?? "", "revoked_sessions": String(count)])
            return ["revoked_sessions": count]
        }
    }
}

struct AdminSessionList: Encodable, Sendable, ResponseEncodable {
    let sessions: [SessionSummary]
}
