import AccessControl
import Foundation
import Hummingbird
import PlatformKit
import Prometheus

/// Sign-in and sessions: `POST /auth/login`, `/auth/refresh`, `/auth/logout`,
/// `/auth/logout-all`, `GET /auth/sessions`, `DELETE /auth/sessions/{id}`.
struct SessionRoutes: Sendable {
    let sessions: any SessionRepository
    let passwords: PasswordHasher
    let ring: KeyRing
    let authenticator: AccessAuthenticator
    let accessTTL: Duration
    let refreshTTL: Duration
    let metrics: PlatformMetrics
    /// Verified against when the email is unknown, so both failures cost one hash.
    let dummyHash: String
    let limits: AuthRateLimits
    /// Ending sessions returns once this instance's access memory shows it.
    let feed: AccessFeedPublisher

    static let invalidCredentials = PlatformError.Code("invalid_credentials", .unauthorized)
    static let invalidRefreshToken = PlatformError.Code("invalid_refresh_token", .unauthorized)

    struct LoginInput: Decodable, Sendable {
        let email: String
        let password: String
    }

    struct RefreshInput: Decodable, Sendable {
        let refreshToken: String
        enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
    }

    struct TokenReply: Encodable, Sendable, ResponseEncodable {
        let accessToken: String
        let refreshToken: String
        let tokenType = "Bearer"
        let expiresIn: Int
        let sessionID: UUID

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case refreshToken = "refresh_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
            case sessionID = "session_id"
        }
    }

    func add(to router: Router<PlatformRequestContext>) {
        let auth = router.group("/auth")
        auth.post("login") { request, context in try await login(request, context) }
        auth.post("refresh") { request, context in try await refresh(request, context) }
        let ending = auth.group().add(middleware: SettlesAccessMemory(feed: feed))
        ending.post("logout") { request, context in
            let identity = try await authenticator.authenticate(request, context)
            _ = try await sessions.revoke(sessionID: identity.sessionID, userID: identity.userID, reason: "logout")
            try await sessions.audit(actor: identity.userID.uuidString, action: "logout", target: identity.sessionID.uuidString,
                                     outcome: "ok", requestID: context.trace.requestID)
            return Response(status: .noContent)
        }
        ending.post("logout-all") { request, context in
            let identity = try await authenticator.authenticate(request, context)
            let count = try await sessions.revokeAll(userID: identity.userID, reason: "logout_all")
            try await sessions.audit(actor: identity.userID.uuidString, action: "logout_all", target: nil, outcome: "ok",
                                     requestID: context.trace.requestID)
            return ["revoked_sessions": count]
        }
        auth.get("sessions") { request, context in
            let identity = try await authenticator.authenticate(request, context)
            return SessionList(sessions: try await sessions.liveSessions(userID: identity.userID), current: identity.sessionID)
        }
        ending.delete("sessions/{id}") { request, context in
            let identity = try await authenticator.authenticate(request, context)
            guard let id = context.parameters.get("id", as: UUID.self) else {
                throw PlatformError(.invalidRequest, "id must be a session id")
            }
            guard try await sessions.revoke(sessionID: id, userID: identity.userID, reason: "user_revoked") else {
                throw PlatformError(.notFound, "no live session \(id) of yours")
            }
            try await sessions.audit(actor: identity.userID.uuidString, action: "session_revoke", target: id.uuidString,
                                     outcome: "ok", requestID: context.trace.requestID)
            return Response(status: .noContent)
        }
    }

    func login(_ request: Request, _ context: PlatformRequestContext) async throws -> TokenReply {
        let input = try await request.decodeJSON(as: LoginInput.self, context: context)
        guard (3...320).contains(TextInput.length(input.email)), (1...1024).contains(TextInput.length(input.password)) else {
            throw PlatformError(.validationFailed, "email and password are required")
        }
        // Limits first: a refused attempt costs no password hash.
        try await limits.check(.login, ip: limits.clientIP(request, context), subject: input.email.lowercased())
        let user = try await sessions.user(email: input.email)
        // Unknown users cost the same hash as known ones: no enumeration by timing.
        let matches = try await passwords.verify(input.password, against: user?.passwordHash ?? dummyHash)
        func refuse() async throws -> Never {
            count("kisum_auth_logins_total", "Sign-in attempts, by outcome.", outcome: "failure")
            try await sessions.audit(actor: user?.id.uuidString ?? "unknown", action: "login", target: nil, outcome: "failure",
                                     requestID: context.trace.requestID)
            throw PlatformError(Self.invalidCredentials, "Email or password is wrong.")
        }
        guard let user, matches, user.active else { try await refuse() }
        var verifiedHash = user.passwordHash
        if passwords.needsRehash(user.passwordHash) {
            let rehashed = try await passwords.hash(input.password)
            if try await sessions.updatePasswordHash(userID: user.id, from: user.passwordHash, to: rehashed) {
                verifiedHash = rehashed
            } else if let current = try await sessions.user(email: input.email), current.id == user.id,
                      try await passwords.verify(input.password, against: current.passwordHash) {
                // A concurrent sign-in rehashed first: the password is as good against its hash.
                verifiedHash = current.passwordHash
            }
        }
        // Created only while the user is still active with the password just verified.
        guard let (sessionID, refreshToken) = try await sessions.createSession(
            userID: user.id, verifiedHash: verifiedHash, ttl: refreshTTL, userAgent: request.headers[.userAgent],
            ip: context.remoteAddress?.ipAddress) else { try await refuse() }
        context.notes.identify(userID: user.id.lowercased, sessionID: sessionID.lowercased)
        count("kisum_auth_logins_total", "Sign-in attempts, by outcome.", outcome: "success")
        try await sessions.audit(actor: user.id.uuidString, action: "login", target: sessionID.uuidString, outcome: "ok",
                                 requestID: context.trace.requestID)
        return try await tokens(userID: user.id, sessionID: sessionID, refreshToken: refreshToken)
    }

    func refresh(_ request: Request, _ context: PlatformRequestContext) async throws -> TokenReply {
        let input = try await request.decodeJSON(as: RefreshInput.self, context: context)
        guard (1...512).contains(TextInput.length(input.refreshToken)) else { throw PlatformError(Self.invalidRefreshToken, "The refresh token is not valid.") }
        try await limits.checkRefresh(ip: limits.clientIP(request, context))
        switch try await sessions.refresh(input.refreshToken, ttl: refreshTTL) {
        case .rotated(let userID, let sessionID, let refreshToken):
            count("kisum_auth_refreshes_total", "Refresh attempts, by outcome.", outcome: "success")
            return try await tokens(userID: userID, sessionID: sessionID, refreshToken: refreshToken)
        case .reused(let sessionID):
            count("kisum_auth_refreshes_total", "Refresh attempts, by outcome.", outcome: "reuse")
            try await sessions.audit(actor: "unknown", action: "refresh_token_reuse", target: sessionID.uuidString,
                                     outcome: "session_revoked", requestID: context.trace.requestID)
            await feed.settle()  // the session just ended: this instance's memory shows it before anyone is told
            throw PlatformError(Self.invalidRefreshToken, "This refresh token was already used; the session has been ended.")
        case .invalid:
            count("kisum_auth_refreshes_total", "Refresh attempts, by outcome.", outcome: "failure")
            throw PlatformError(Self.invalidRefreshToken, "The refresh token is not valid.")
        }
    }

    private func tokens(userID: UUID, sessionID: UUID, refreshToken: String) async throws -> TokenReply {
        let claims = AccessTokenClaims(issuer: authenticator.issuer, audience: authenticator.audience, userID: userID,
                                       sessionID: sessionID, issuedAt: Date(), ttl: accessTTL)
        return TokenReply(accessToken: try await ring.sign(claims), refreshToken: refreshToken,
                          expiresIn: Int(accessTTL.wholeSeconds), sessionID: sessionID)
    }

    private func count(_ name: String, _ help: String, outcome: String) {
        metrics.counter(name, help: help, labels: [("outcome", outcome)]).increment()
    }
}

struct SessionList: Encodable, Sendable, ResponseEncodable {
    let sessions: [SessionSummary]
    let current: UUID
}
