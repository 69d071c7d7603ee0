import AccessControl
import Foundation

/// Core's answer for a company, as Auth uses it.
public struct CompanyEntitlementsView: Codable, Sendable, Equatable {
    public struct Module: Codable, Sendable, Equatable {
        public var key: String
        public var sources: [AccessSnapshot.Source]

        public init(key: String, sources: [AccessSnapshot.Source]) {
            self.key = key
            self.sources = sources
        }
    }

    public var modules: [Module]
    public var coreAppVisible: Bool
    public var entitlementVersion: Int64
    public var validUntil: Date?

    enum CodingKeys: String, CodingKey {
        case modules
        case coreAppVisible = "core_app_visible"
        case entitlementVersion = "entitlement_version"
        case validUntil = "valid_until"
    }

    public init(modules: [Module], coreAppVisible: Bool, entitlementVersion: Int64, validUntil: Date?) {
        self.modules = modules
        self.coreAppVisible = coreAppVisible
        self.entitlementVersion = entitlementVersion
        self.validUntil = validUntil
    }
}

/// A membership's own grants in Auth's database.
public struct MembershipGrants: Sendable, Equatable {
    public var companyID: UUID
    public var companySlug: String
    public var membershipID: UUID
    public var accessVersion: Int64
    /// Modules granted to the membership.
    public var modules: Set<String>
    /// Permissions from its roles and unexpired, unrevoked delegations.
    public var permissions: Set<String>
    /// When the earliest delegation received expires (nil: none). Nothing is written at that
    /// moment, so a snapshot built from these grants must not be cached past it.
    public var validUntil: Date?

    public init(companyID: UUID, companySlug: String, membershipID: UUID, accessVersion: Int64, modules: Set<String>,
                permissions: Set<String>, validUntil: Date? = nil) {
        self.companyID = companyID
        self.companySlug = companySlug
        self.membershipID = membershipID
        self.accessVersion = accessVersion
        self.modules = modules
        self.permissions = permissions
        self.validUntil = validUntil
    }
}

/// The spec's aggregation, pure: modules = entitled to the company by Core ∩ granted to the
/// membership (Core App only while Core says it is visible); permissions = the membership's
/// role and delegated permissions, restricted to those modules (a permission is
/// `module.action…`; its first segment names its module).
public enum AccessAggregator {
    public static func snapshot(grants: MembershipGrants, entitlements: CompanyEntitlementsView) -> AccessSnapshot {
        let entitled = Dictionary(entitlements.modules.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var modules = entitled.values.filter { grants.modules.contains($0.key) }
        if !entitlements.coreAppVisible { modules.removeAll { $0.key == "core_app" } }
        let moduleKeys = Set(modules.map(\.key))
        let permissions = grants.permissions.filter { permission in
            permission.split(separator: ".").first.map { moduleKeys.contains(String($0)) } ?? false
        }
        return AccessSnapshot(
            companyID: grants.companyID, companySlug: grants.companySlug, membershipID: grants.membershipID,
            coreAppVisible: entitlements.coreAppVisible && moduleKeys.contains("core_app"),
            modules: modules.sorted { $0.key < $1.key }.map { .init(key: $0.key, sources: $0.sources) },
            permissions: permissions.sorted(), accessVersion: grants.accessVersion,
            entitlementVersion: entitlements.entitlementVersion)
    }
}
