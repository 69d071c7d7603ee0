import Foundation

/// One change that can narrow (or widen) access, as Auth's feed publishes it. An enforcing
/// service drops whatever it holds about the identifiers named (a consumer that does not know
/// `kind` drops everything: new kinds can only make it more careful).
public struct AccessEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// One session ended (sign-out, revoke, logout-all, password change, disable).
        case sessionRevoked = "session_revoked"
        /// A user's status or platform roles changed.
        case userChanged = "user_changed"
        /// A membership was created, or its status, roles, grants or access version changed
        /// (every administrative change of access bumps the version).
        case membershipChanged = "membership_changed"
        /// A company's status or slug, or its entitlement version, changed.
        case companyChanged = "company_changed"
        /// A delegation was created, revoked or passed its expiry.
        case delegationChanged = "delegation_changed"
        /// A custom role's permissions changed.
        case roleChanged = "role_changed"
        /// A signing key was retired: tokens it signed are no longer valid.
        case signingKeyRetired = "signing_key_retired"
    }

    public let cursor: AccessFeedCursor
    /// The kind as sent; `knownKind` is nil for kinds newer than this build.
    public let kind: String
    public let userID: UUID?
    public let companyID: UUID?
    public let membershipID: UUID?
    public let sessionID: UUID?
    public let keyID: String?

    public init(cursor: AccessFeedCursor, kind: String, userID: UUID? = nil, companyID: UUID? = nil,
                membershipID: UUID? = nil, sessionID: UUID? = nil, keyID: String? = nil) {
        self.cursor = cursor
        self.kind = kind
        self.userID = userID
        self.companyID = companyID
        self.membershipID = membershipID
        self.sessionID = sessionID
        self.keyID = keyID
    }

    public var knownKind: Kind? { Kind(rawValue: kind) }

    enum CodingKeys: String, CodingKey {
        case cursor, kind
        case userID = "user_id"
        case companyID = "company_id"
        case membershipID = "membership_id"
        case sessionID = "session_id"
        case keyID = "key_id"
    }
}
