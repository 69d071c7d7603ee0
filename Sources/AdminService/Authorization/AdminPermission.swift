/// What a platform administrator may do. Auth stores platform roles on the user; Admin alone
/// maps them to permissions (company roles never grant any of these).
public enum AdminPermission: String, Sendable, CaseIterable, Codable {
    case catalogRead = "catalog.read"
    case catalogWrite = "catalog.write"
    case companiesRead = "companies.read"
    case orgsApprove = "orgs.approve"
    case subscriptionsWrite = "subscriptions.write"
    case usersRead = "users.read"
    case usersManage = "users.manage"
    case membershipsManage = "memberships.manage"
    case sessionsRevoke = "sessions.revoke"
    case accessInvalidate = "access.invalidate"
    case accessExplain = "access.explain"
    case keysRead = "keys.read"
    case keysRotate = "keys.rotate"
    case operationsRead = "operations.read"
    case auditRead = "audit.read"
}

/// The built-in platform roles and the permissions each grants.
public enum PlatformRole {
    /// Looks, never touches.
    static let viewer: Set<AdminPermission> = [.catalogRead, .companiesRead, .usersRead, .keysRead, .operationsRead, .auditRead]
    /// On-call: also ends sessions, invalidates and explains access.
    static let operator_: Set<AdminPermission> = viewer.union([.sessionsRevoke, .accessInvalidate, .accessExplain])
    /// Everything.
    static let admin: Set<AdminPermission> = Set(AdminPermission.allCases)

    public static let grants: [String: Set<AdminPermission>] = [
        "platform_viewer": viewer,
        "platform_operator": operator_,
        "platform_admin": admin,
    ]

    /// The union of what `roles` grant; unknown roles grant nothing.
    public static func permissions(of roles: [String]) -> Set<AdminPermission> {
        roles.reduce(into: Set<AdminPermission>()) { $0.formUnion(grants[$1] ?? []) }
    }
}
