import Foundation

/// A mutation with nothing but its reason (and confirmation, when high-risk).
struct ReasonInput: AdminInput, Encodable {
    var reason: String?
    var confirm: String?

    /// What reaches Auth or Core: the reason only.
    var forwarded: [String: String] { reason.map { ["reason": $0] } ?? [:] }
}

/// A new status for a company or user.
struct StatusInput: AdminInput, Encodable {
    var status: String
    var reason: String?
    var confirm: String?

    var forwarded: [String: String] { ["status": status, "reason": reason ?? ""] }
}

/// A user's platform roles.
struct PlatformRolesInput: AdminInput {
    var platformRoles: [String]
    var reason: String?
    var confirm: String?

    enum CodingKeys: String, CodingKey { case reason, confirm, platformRoles = "platform_roles" }
}

/// Access invalidation: exactly one target.
struct InvalidateInput: AdminInput, Encodable {
    var companyID: UUID?
    var membershipID: UUID?
    var userID: UUID?
    var reason: String?
    var confirm: String?

    enum CodingKeys: String, CodingKey {
        case reason, confirm
        case companyID = "company_id"
        case membershipID = "membership_id"
        case userID = "user_id"
    }
}

/// A key rotation.
struct RotateInput: AdminInput {
    var emergency: Bool?
    var reason: String?
    var confirm: String?
}
