import Foundation
import Hummingbird
import PlatformKit

/// Auth's answer to "may this session act in this company" (`POST /internal/v1/access-context`),
/// as every enforcing service holds it.
public struct AccessContextAnswer: Sendable, Codable, Equatable, ResponseEncodable {
    public let allowed: Bool
    /// Why not: `session_revoked`, `key_retired`, `user_inactive`, `not_a_member`, `access_inactive`.
    public let reason: String?
    public let access: AccessSnapshot?
    /// The answer must not be used past this: the first of the session's end, the company's
    /// entitlement period and the earliest delegation it includes (nothing announces those).
    public let validUntil: Date?
    /// For a refusal in a known company (inactive membership or company): whom it is about,
    /// so the change that lifts it finds it.
    public let membershipID: UUID?
    public let companyID: UUID?

    public init(allowed: Bool, reason: String?, access: AccessSnapshot?, validUntil: Date?,
                membershipID: UUID? = nil, companyID: UUID? = nil) {
        self.allowed = allowed
        self.reason = reason
        self.access = access
        self.validUntil = validUntil
        self.membershipID = membershipID
        self.companyID = companyID
    }

    enum CodingKeys: String, CodingKey {
        case allowed, reason, access
        case validUntil = "valid_until"
        case membershipID = "membership_id"
        case companyID = "company_id"
    }

    /// The snapshot, or the refusal as the platform's error.
    public func snapshot() throws -> AccessSnapshot {
        if allowed, let access { return access }
        switch reason {
        case "session_revoked": throw PlatformError(AccessError.sessionRevoked, "This session has ended; sign in again.")
        case "key_retired": throw PlatformError(AccessError.keyUnknown, "The access token's signing key is retired.")
        case "not_a_member": throw PlatformError(AccessError.xOrgForbidden, "You are not a member of that company.")
        case "user_inactive": throw PlatformError(AccessError.membershipInactive, "This account is not active.")
        default: throw PlatformError(AccessError.membershipInactive, "Your membership or the company is not active.")
        }
    }
}
