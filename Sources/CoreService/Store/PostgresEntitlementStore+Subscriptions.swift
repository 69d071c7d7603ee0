import Foundation
import HTTPTypes
import PlatformKit
import PlatformPostgres
import PostgresNIO
import Prometheus

extension PostgresEntitlementStore {
    public func setSubscription(_ company: UUID, _ subscription: CompanySubscription, change: ChangeContext) async throws -> VersionReply {
        try await database.withTransaction("subscription_set", logger: logger) { connection in
            let package = try await connection.query(
                "SELECT status FROM packages WHERE key = \(subscription.packageKey)", logger: logger).collect()
            guard let row = package.first else { throw CoreError.unknownPackage(subscription.packageKey) }
            let before = try await Self.companyState(company, on: connection, logger: logger).subscription
            if before?.packageKey != subscription.packageKey, try row.decode(String.self) == CatalogStatus.retired.rawValue {
                throw PlatformError(.conflict, "package \(subscription.packageKey) is retired and cannot be sold")
            }
            try await connection.query("""
                INSERT INTO company_subscriptions (company_id, package_key, status, period_start, period_end)
                VALUES (\(company), \(subscription.packageKey), \(subscription.status.rawValue), \(subscription.period.start), \(subscription.period.end))
                ON CONFLICT (company_id) DO UPDATE SET package_key = excluded.package_key, status = excluded.status,
                    period_start = excluded.period_start, period_end = excluded.period_end, updated_at = now()
                """, logger: logger)
            let version = try await Self.bump(company, change: "subscription_set", before: Self.json(before),
                                              after: Self.json(subscription), context: change, on: connection, logger: logger)
            try await Self.audit("subscription.set", targetType: "company", targetID: company.uuidString,
                                 before: Self.json(before), after: Self.json(subscription), context: change, on: connection, logger: logger)
            return VersionReply(companyID: company, entitlementVersion: version)
        }
    }

    public func cancelSubscription(_ company: UUID, change: ChangeContext) async throws -> VersionReply {
        try await database.withTransaction("subscription_cancel", logger: logger) { connection in
            guard let before = try await Self.companyState(company, on: connection, logger: logger).subscription else {
                throw PlatformError(.notFound, "company \(company) has no subscription")
            }
            var after = before
            after.status = .canceled
            try await connection.query(
                "UPDATE company_subscriptions SET status = 'canceled', updated_at = now() WHERE company_id = \(company)",
                logger: logger)
            let version = try await Self.bump(company, change: "subscription_canceled", before: Self.json(before),
                                              after: Self.json(after), context: change, on: connection, logger: logger)
            try await Self.audit("subscription.cancel", targetType: "company", targetID: company.uuidString,
                                 before: Self.json(before), after: Self.json(after), context: change, on: connection, logger: logger)
            return VersionReply(companyID: company, entitlementVersion: version)
        }
    }

    public func setAddon(_ company: UUID, _ addon: CompanyAddon, change: ChangeContext) async throws -> VersionReply {
        try await database.withTransaction("addon_set", logger: logger) { connection in
            let found = try await connection.query("SELECT status FROM addons WHERE key = \(addon.addonKey)", logger: logger).collect()
            guard let row = found.first else { throw CoreError.unknownAddon(addon.addonKey) }
            let state = try await Self.companyState(company, on: connection, logger: logger)
            let before = state.addons.first { $0.addonKey == addon.addonKey }
            if before == nil, try row.decode(String.self) == CatalogStatus.retired.rawValue {
                throw PlatformError(.conflict, "add-on \(addon.addonKey) is retired and cannot be sold")
            }
            try await connection.query("""
                INSERT INTO company_addons (company_id, addon_key, status, period_start, period_end)
                VALUES (\(company), \(addon.addonKey), \(addon.status.rawValue), \(addon.period.start), \(addon.period.end))
                ON CONFLICT (company_id, addon_key) DO UPDATE SET status = excluded.status,
                    period_start = excluded.period_start, period_end = excluded.period_end, updated_at = now()
                """, logger: logger)
            let version = try await Self.bump(company, change: "addon_set", before: Self.json(before), after: Self.json(addon),
                                              context: change, on: connection, logger: logger)
            try await Self.audit("addon.set", targetType: "company", targetID: "\(company.uuidString)/\(addon.addonKey)",
                                 before: Self.json(before), after: Self.json(addon), context: change, on: connection, logger: logger)
            return VersionReply(companyID: company, entitlementVersion: version)
        }
    }

    public func removeAddon(_ company: UUID, addonKey: String, change: ChangeContext) async throws -> VersionReply {
        try await database.withTransaction("addon_remove", logger: logger) { connection in
            let state = try await Self.companyState(company, on: connection, logger: logger)
            guard let before = state.addons.first(where: { $0.addonKey == addonKey }) else {
                throw PlatformError(.notFound, "company \(company) has no add-on \(addonKey)")
            }
            try await connection.query(
                "DELETE FROM company_addons WHERE company_id = \(company) AND addon_key = \(addonKey)", logger: logger)
            let version = try await Self.bump(company, change: "addon_removed", before: Self.json(before), after: nil,
                                              context: change, on: connection, logger: logger)
            try await Self.audit("addon.remove", targetType: "company", targetID: "\(company.uuidString)/\(addonKey)",
                                 before: Self.json(before), after: nil, context: change, on: connection, logger: logger)
            return VersionReply(companyID: company, entitlementVersion: version)
        }
    }
}
