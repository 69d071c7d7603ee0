import Foundation
import NIOConcurrencyHelpers
import PlatformPostgres
import PostgresNIO

/// The last catalog this instance read and its version; reused while the version in the
/// database is unchanged (every catalog write bumps it in the same transaction).
final class CatalogCache: Sendable {
    private let entry = NIOLockedValueBox<(version: Int64, catalog: Catalog)?>(nil)

    func get(version: Int64) -> Catalog? {
        entry.withLockedValue { $0.flatMap { $0.version == version ? $0.catalog : nil } }
    }

    func put(version: Int64, catalog: Catalog) {
        entry.withLockedValue { current in
            if (current?.version ?? -1) < version { current = (version, catalog) }
        }
    }
}

extension PostgresEntitlementStore {
    /// The catalog and a company's state for computing its entitlements: one statement on
    /// one connection, plus the catalog queries only when the catalog changed.
    public func entitlementSnapshot(_ company: UUID) async throws -> (Catalog, CompanyState) {
        try await database.withConnection("entitlement_snapshot") { connection in
            let rows = try await connection.query("""
                SELECT (SELECT version FROM catalog_state WHERE id = 1),
                       v.version, s.package_key, s.status, s.period_start, s.period_end,
                       (SELECT coalesce(json_agg(json_build_object(
                            'addon_key', a.addon_key, 'status', a.status,
                            'start', extract(epoch FROM a.period_start), 'end', extract(epoch FROM a.period_end))
                            ORDER BY a.addon_key), '[]')::text
                        FROM company_addons a WHERE a.company_id = c.id)
                FROM (SELECT \(company)::uuid AS id) c
                LEFT JOIN company_entitlement_versions v ON v.company_id = c.id
                LEFT JOIN company_subscriptions s ON s.company_id = c.id
                """, logger: logger).collect()
            let (catalogVersion, version, package, status, start, end, addonsJSON) =
                try rows[0].decode((Int64, Int64?, String?, String?, Date?, Date?, String).self)
            var subscription: CompanySubscription?
            if let package, let status, let start {
                subscription = CompanySubscription(packageKey: package, status: SubscriptionStatus(rawValue: status) ?? .expired,
                                                   period: BillingPeriod(start: start, end: end))
            }
            let addons = try JSONDecoder().decode([AddonRow].self, from: Data(addonsJSON.utf8)).map(\.addon)
            let state = CompanyState(companyID: company, subscription: subscription, addons: addons, entitlementVersion: version ?? 0)
            if let cached = catalogCache.get(version: catalogVersion) { return (cached, state) }
            let catalog = try await Self.catalog(on: connection, logger: logger)
            catalogCache.put(version: catalogVersion, catalog: catalog)
            return (catalog, state)
        }
    }

    private struct AddonRow: Decodable {
        let addon_key: String
        let status: String
        let start: Double
        let end: Double?

        var addon: CompanyAddon {
            CompanyAddon(addonKey: addon_key, status: SubscriptionStatus(rawValue: status) ?? .expired,
                         period: BillingPeriod(start: Date(timeIntervalSince1970: start), end: end.map(Date.init(timeIntervalSince1970:))))
        }
    }
}
