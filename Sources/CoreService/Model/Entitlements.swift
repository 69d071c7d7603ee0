import Foundation
import Hummingbird

/// Where an entitled module comes from.
public struct EntitlementSource: Codable, Sendable, Hashable {
    public var type: String  // "package" | "addon"
    public var key: String

    public init(type: String, key: String) {
        self.type = type
        self.key = key
    }
}

/// One entitled module and every source granting it.
public struct EntitledModule: Codable, Sendable, Equatable {
    public var key: String
    public var sources: [EntitlementSource]
}

/// A company's entitlements: what Auth combines with memberships to compute access.
public struct CompanyEntitlements: Codable, Sendable, Equatable, ResponseEncodable {
    public var companyID: UUID
    public var modules: [EntitledModule]
    /// Core App is visible only while a package that includes it (Basic) is effective.
    public var coreAppVisible: Bool
    public var entitlementVersion: Int64
    /// When the answer may change without a write (the next period boundary); caches must
    /// not keep it past this instant.
    public var validUntil: Date?

    enum CodingKeys: String, CodingKey {
        case modules
        case companyID = "company_id"
        case coreAppVisible = "core_app_visible"
        case entitlementVersion = "entitlement_version"
        case validUntil = "valid_until"
    }

    public var moduleKeys: Set<String> { Set(modules.map(\.key)) }
}

/// The entitlement rules of the spec, as a pure function of the catalog and a company's
/// subscription and add-ons:
/// 1. entitlements = modules of the effective (active or trialing, within its period)
///    package ∪ modules of effective add-ons; retired catalog objects still honour existing
///    subscriptions (retiring stops new sales, it does not silently take modules away);
/// 2. Core App only through an effective package that includes it (Basic);
/// 3. add-ons are effective regardless of the package.
public enum EntitlementCalculator {
    public static func entitlements(
        companyID: UUID, version: Int64, catalog: Catalog,
        subscription: CompanySubscription?, addons: [CompanyAddon], at instant: Date
    ) -> CompanyEntitlements {
        var sources: [String: [EntitlementSource]] = [:]
        if let subscription, subscription.isEffective(at: instant),
           let package = catalog.packages.first(where: { $0.key == subscription.packageKey }) {
            for module in package.modules {
                sources[module, default: []].append(.init(type: "package", key: package.key))
            }
        }
        for addon in addons where addon.isEffective(at: instant) {
            guard let item = catalog.addons.first(where: { $0.key == addon.addonKey }),
                  item.module != CatalogModule.coreApp else { continue }
            sources[item.module, default: []].append(.init(type: "addon", key: item.key))
        }
        let coreAppVisible = sources[CatalogModule.coreApp]?.contains { $0.type == "package" } ?? false
        if !coreAppVisible { sources[CatalogModule.coreApp] = nil }
        let boundaries = ([subscription?.period.start, subscription?.period.end]
            + addons.flatMap { [$0.period.start, $0.period.end] })
            .compactMap { $0 }.filter { $0 > instant }
        return CompanyEntitlements(
            companyID: companyID,
            modules: sources.keys.sorted().map { EntitledModule(key: $0, sources: sources[$0]!) },
            coreAppVisible: coreAppVisible, entitlementVersion: version, validUntil: boundaries.min())
    }
}
