import Foundation
import Hummingbird

/// What a membership may do in its company right now: the frontend's access bootstrap and
/// what business backends enforce.
public struct AccessSnapshot: Codable, Sendable, Equatable, ResponseEncodable {
    public struct Module: Codable, Sendable, Equatable {
        public var key: String
        /// Where the company's entitlement comes from (package or add-on).
        public var sources: [Source]

        public init(key: String, sources: [Source]) {
            self.key = key
            self.sources = sources
        }
    }

    public struct Source: Codable, Sendable, Equatable {
        public var type: String
        public var key: String

        public init(type: String, key: String) {
            self.type = type
            self.key = key
        }
    }

    public var companyID: UUID
    public var companySlug: String
    public var membershipID: UUID
    public var coreAppVisible: Bool
    public var modules: [Module]
    public var permissions: [String]
    public var accessVersion: Int64
    public var entitlementVersion: Int64

    enum CodingKeys: String, CodingKey {
        case modules, permissions
        case companyID = "company_id"
        case companySlug = "company_slug"
        case membershipID = "membership_id"
        case coreAppVisible = "core_app_visible"
        case accessVersion = "access_version"
        case entitlementVersion = "entitlement_version"
    }

    public init(companyID: UUID, companySlug: String, membershipID: UUID, coreAppVisible: Bool, modules: [Module],
                permissions: [String], accessVersion: Int64, entitlementVersion: Int64) {
        self.companyID = companyID
        self.companySlug = companySlug
        self.membershipID = membershipID
        self.coreAppVisible = coreAppVisible
        self.modules = modules
        self.permissions = permissions
        self.accessVersion = accessVersion
        self.entitlementVersion = entitlementVersion
    }

    /// Whether the snapshot includes `module` (entitled to the company and granted).
    public func has(module: String) -> Bool { modules.contains { $0.key == module } }

    /// Whether the snapshot grants `permission`.
    public func has(permission: String) -> Bool { permissions.contains(permission) }
}
