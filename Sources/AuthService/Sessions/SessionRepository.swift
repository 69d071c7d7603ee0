import Foundation

/// A user as the sign-in path needs it.
public struct UserCredentials: Sendable {
    public let id: UUID
    public let email: String
    public let passwordHash: String
    public let active: Bool
}

/// A session as listed to its user.
public struct SessionSummary: Codable, Sendable, Equatable {
    public let id: UUID
    public let createdAt: Date
    public let lastSeenAt: Date
    public let expiresAt: Date
    public let userAgent: String?

    enum CodingKeys: String, CodingKey {
        case id
        case createdAt = "created_at"
        case lastSeenAt = "last_seen_at"
        case expiresAt = "expires_at"
        case userAgent = "user_agent"
    }
}

/// What a refresh attempt found.
public enum RefreshOutcome: Sendable, Equatable {
    /// Rotated: the session and its new refresh token.
    case rotated(userID: UUID, sessionID: UUID, refreshToken: String)
    /// Unknown, expired, or its session is over.
    case invalid
    /// An already-used token was presented again: the session has been revoked (RFC 9700).
    case reused(sessionID: UUID)
}

/// Users, sessions and refresh tokens in `auth_db`. Refresh tokens are stored as SHA-256
/// hashes only and are single use.
public protocol SessionRepository: Sendable {
    func user(email: String) async throws -> UserCredentials?
    /// Replaces the hash only if it is still `old` (a reset or change meanwhile wins); whether it did.
    func updatePasswordHash(userID: UUID, from old: String, to hash: String) async throws -> Bool
    /// A new session and its first refresh token (returned in clear once, stored hashed), or nil
    /// when the user is no longer active with the password hash just verified: a sign-in racing
    /// a disable or a password reset never leaves a live session behind.
    func createSession(userID: UUID, verifiedHash: String, ttl: Duration, userAgent: String?,
                       ip: String?) async throws -> (sessionID: UUID, refreshToken: String)?
    func refresh(_ token: String, ttl: Duration) async throws -> RefreshOutcome
    /// Whether the session exists, belongs to `userID`, is not revoked and has not expired.
    func isLive(sessionID: UUID, userID: UUID) async throws -> Bool
    /// When the live session ends by itself; nil when it is not live.
    func liveUntil(sessionID: UUID, userID: UUID) async throws -> Date?
    func revoke(sessionID: UUID, userID: UUID?, reason: String) async throws -> Bool
    func revokeAll(userID: UUID, reason: String) async throws -> Int
    func liveSessions(userID: UUID) async throws -> [SessionSummary]
    /// Appends an audit event; `details` carries before/after and reasons as JSON.
    func audit(actor: String, action: String, target: String?, outcome: String, requestID: String?, details: [String: String]?) async throws
}

extension SessionRepository {
    public func audit(actor: String, action: String, target: String?, outcome: String, requestID: String?) async throws {
        try await audit(actor: actor, action: action, target: target, outcome: outcome, requestID: requestID, details: nil)
    }
}
