import Foundation

/// A mutation with nothing but its reason (and confirmation, when high-risk).
struct ReasonInput: AdminInput, Encodable {
    var reason: String?
    var confirm: String?

    /// What reaches Auth or Core: the reason only.
    var forwarded: [String: String] { reason.map { ["reason": $0] } ?? [:] }
}

/// Catalog writes, passed to Core as they are (Core validates).
struct CatalogInput: AdminInput, Encodable {
    var key: String?
    var name: String?
    var modules: [String]?
    var module: String?
    var expectedVersion: Int?
    var reason: String?
    var confirm: String?

    enum CodingKeys: String, CodingKey {
        case key, name, modules, module, reason, confirm
        case expectedVersion = "expected_version"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(key, forKey: .key)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(modules, forKey: .modules)
        try container.encodeIfPresent(module, forKey: .module)
        try container.encodeIfPresent(expectedVersion, forKey: .expectedVersion)
        try container.encodeIfPresent(reason, forKey: .reason)
    }
}

/// A subscription or add-on period, passed to Core (which validates).
struct PeriodInput: AdminInput, Encodable {
    var packageKey: String?
    var status: String
    var periodStart: String
    var periodEnd: String?
    var reason: String?
    var confirm: String?

    enum CodingKeys: String, CodingKey {
        case status, reason, confirm
        case packageKey = "package_key"
        case periodStart = "period_start"
        case periodEnd = "period_end"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(packageKey, forKey: .packageKey)
        try container.encode(status, forKey: .status)
        try container.encode(periodStart, forKey: .periodStart)
        try container.encodeIfPresent(periodEnd, forKey: .periodEnd)
        try container.encodeIfPresent(reason, forKey: .reason)
    }
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
