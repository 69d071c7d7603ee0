import Foundation
import HTTPTypes
import Hummingbird
import PlatformPostgres
import Prometheus

/// Who made a change, for the audit trail and the entitlement history.
public struct ChangeContext: Sendable {
    /// The calling service, and the admin user on whose behalf it acts when known.
    public var actor: String
    public var requestID: String?
    public var reason: String?

    public init(actor: String, requestID: String?, reason: String? = nil) {
        self.actor = actor
        self.requestID = requestID
        self.reason = reason
    }
}

/// One entry of a company's entitlement history.
public struct HistoryEntry: Codable, Sendable, Equatable {
    public var id: Int64
    public var version: Int64
    public var change: String
    public var actor: String
    public var requestID: String?
    public var at: Date

    enum CodingKeys: String, CodingKey {
        case id, version, change, actor, at
        case requestID = "request_id"
    }
}

/// A company's subscription state as stored.
public struct CompanyState: Codable, Sendable, Equatable, ResponseEncodable {
    public var companyID: UUID
    public var subscription: CompanySubscription?
    public var addons: [CompanyAddon]
    public var entitlementVersion: Int64

    enum CodingKeys: String, CodingKey {
        case subscription, addons
        case companyID = "company_id"
        case entitlementVersion = "entitlement_version"
    }
}

/// A write that changed entitlements: the company's new version.
public struct VersionReply: Codable, Sendable, Equatable, ResponseEncodable {
    public var companyID: UUID?
    public var entitlementVersion: Int64?
    public var affectedCompanies: Int?

    enum CodingKeys: String, CodingKey {
        case companyID = "company_id"
        case entitlementVersion = "entitlement_version"
        case affectedCompanies = "affected_companies"
    }
}

/// Core's persistence. Every write that can change a company's entitlements bumps its
/// version, appends history, and writes an outbox signal in the same transaction.
public protocol EntitlementStore: Sendable {
    func catalog() async throws -> Catalog
    func companyState(_ company: UUID) async throws -> CompanyState
    /// The catalog and the company's state, read together for an entitlement computation.
    func entitlementSnapshot(_ company: UUID) async throws -> (Catalog, CompanyState)
    func entitlementVersion(_ company: UUID) async throws -> Int64
    func history(_ company: UUID, before cursor: Int64?, limit: Int) async throws -> [HistoryEntry]

    func setSubscription(_ company: UUID, _ subscription: CompanySubscription, change: ChangeContext) async throws -> VersionReply
    func cancelSubscription(_ company: UUID, change: ChangeContext) async throws -> VersionReply
    func setAddon(_ company: UUID, _ addon: CompanyAddon, change: ChangeContext) async throws -> VersionReply
    func removeAddon(_ company: UUID, addonKey: String, change: ChangeContext) async throws -> VersionReply

    func createModule(key: String, name: String, change: ChangeContext) async throws -> CatalogModule
    func createPackage(key: String, name: String, modules: [String], change: ChangeContext) async throws -> CatalogPackage
    func createAddon(key: String, name: String, module: String, change: ChangeContext) async throws -> CatalogAddon
    /// Replaces a package's name and modules if `expectedVersion` matches; bumps every company
    /// subscribed to it when its modules change.
    func updatePackage(key: String, name: String, modules: [String], expectedVersion: Int, change: ChangeContext) async throws -> (CatalogPackage, VersionReply)
    /// Renames a module or add-on if `expectedVersion` matches (their keys and an add-on's
    /// module never change: sell a new one instead). Entitlements are unaffected.
    func rename(kind: CatalogKind, key: String, name: String, expectedVersion: Int, change: ChangeContext) async throws -> Int
    /// Stops new sales of a module, package or add-on; existing subscriptions keep what they have.
    func retire(kind: CatalogKind, key: String, expectedVersion: Int, change: ChangeContext) async throws

    /// Runs `body` once per (caller, key): a retry with the same key and request returns the
    /// stored answer; the same key with another request is refused.
    func idempotent(caller: String, key: String, requestHash: String,
                    _ body: @Sendable () async throws -> (status: Int, body: Data)) async throws -> (status: Int, body: Data)
}

/// The three kinds of catalog object.
public enum CatalogKind: String, Sendable, CaseIterable {
    case module = "modules", package = "packages", addon = "addons"
}
