import Foundation
import Hummingbird
import PlatformKit

/// Auth's answer to "is this session a live platform administrator's, and with which roles"
/// (`POST /internal/v1/admin-context`), as Admin holds it.
public struct AdminContextAnswer: Sendable, Codable, Equatable, ResponseEncodable {
    public let allowed: Bool
    /// Why not: `session_revoked`, `key_retired`, `user_inactive`.
    public let reason: String?
    public let email: String?
    public let platformRoles: [String]
    /// The session's end: the answer is not used past it.
    public let validUntil: Date?

    public init(allowed: Bool, reason: String?, email: String?, platformRoles: [String], validUntil: Date? = nil) {
        self.allowed = allowed
        self.reason = reason
        self.email = email
        self.platformRoles = platformRoles
        self.validUntil = validUntil
    }

    enum CodingKeys: String, CodingKey {
        case allowed, reason, email
        case platformRoles = "platform_roles"
        case validUntil = "valid_until"
    }
}
