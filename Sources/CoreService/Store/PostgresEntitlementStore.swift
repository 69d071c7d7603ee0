import Foundation
import HTTPTypes
import Logging
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PostgresNIO
import Prometheus

/// `EntitlementStore` on `platform_core_db`.
public struct PostgresEntitlementStore: EntitlementStore {
    let database: PlatformDatabase
    let logger: Logger
    let catalogCache = CatalogCache()

    public init(database: PlatformDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func catalog() async throws -> Catalog {
        try await database.withConnection("catalog_read") { connection in
            try await Self.catalog(on: connection, logger: logger)
        }
    }

    static func catalog(on connection: PostgresConnection, logger: Logger) async throws -> Catalog {
        var modules: [CatalogModule] = []
        for try await (key, name, status, version) in try await connection.query(
            "SELECT key, name, status, version FROM modules ORDER BY key", logger: logger
        ).decode((String, String, String, Int).self) {
            modules.append(CatalogModule(key: key, name: name, status: CatalogStatus(rawValue: status) ?? .retired, version: version))
        }
        var packages: [CatalogPackage] = []
        for try await (key, name, status, version, members) in try await connection.query("""
            SELECT p.key, p.name, p.status, p.version, coalesce(array_agg(pm.module_key ORDER BY pm.module_key)
                   FILTER (WHERE pm.module_key IS NOT NULL), '{}')
            FROM packages p LEFT JOIN package_modules pm ON pm.package_key = p.key
            GROUP BY p.key ORDER BY p.key
            """, logger: logger
        ).decode((String, String, String, Int, [String]).self) {
            packages.append(CatalogPackage(key: key, name: name, status: CatalogStatus(rawValue: status) ?? .retired,
                                           version: version, modules: members))
        }
        var addons: [CatalogAddon] = []
        for try await (key, name, status, version, module) in try await connection.query(
            "SELECT key, name, status, version, module_key FROM addons ORDER BY key", logger: logger
        ).decode((String, String, String, Int, String).self) {
            addons.append(CatalogAddon(key: key, name: name, status: CatalogStatus(rawValue: status) ?? .retired,
                                       version: version, module: module))
        }
        return Catalog(modules: modules, packages: packages, addons: addons)
    }

    public func companyState(_ company: UUID) async throws -> CompanyState {
        try await database.withConnection("company_state") { connection in
            try await Self.companyState(company, on: connection, logger: logger)
        }
    }

    static func companyState(_ company: UUID, on connection: PostgresConnection, logger: Logger) async throws -> CompanyState {
        var subscription: CompanySubscription?
        for try await (package, status, start, end) in try await connection.query(
            "SELECT package_key, status, period_start, period_end FROM company_subscriptions WHERE company_id = \(company)",
            logger: logger
        ).decode((String, String, Date, Date?).self) {
            subscription = CompanySubscription(packageKey: package, status: SubscriptionStatus(rawValue: status) ?? .expired,
                                               period: BillingPeriod(start: start, end: end))
        }
        var addons: [CompanyAddon] = []
        for try await (key, status, start, end) in try await connection.query(
            "SELECT addon_key, status, period_start, period_end FROM company_addons WHERE company_id = \(company) ORDER BY addon_key",
            logger: logger
        ).decode((String, String, Date, Date?).self) {
            addons.append(CompanyAddon(addonKey: key, status: SubscriptionStatus(rawValue: status) ?? .expired,
                                       period: BillingPeriod(start: start, end: end)))
        }
        let version = try await entitlementVersion(company, on: connection, logger: logger)
        return CompanyState(companyID: company, subscription: subscription, addons: addons, entitlementVersion: version)
    }

    public func entitlementVersion(_ company: UUID) async throws -> Int64 {
        try await database.withConnection("entitlement_version") { connection in
            try await Self.entitlementVersion(company, on: connection, logger: logger)
        }
    }

    static func entitlementVersion(_ company: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        for try await version in try await connection.query(
            "SELECT version FROM company_entitlement_versions WHERE company_id = \(company)", logger: logger
        ).decode(Int64.self) {
            return version
        }
        return 0
    }

    public func history(_ company: UUID, before cursor: Int64?, limit: Int) async throws -> [HistoryEntry] {
        let rows = try await database.query("""
            SELECT id, version, change, actor, request_id, created_at FROM entitlement_history
            WHERE company_id = \(company) AND id < \(cursor ?? Int64.max)
            ORDER BY id DESC LIMIT \(limit)
            """, operation: "history", logger: logger)
        return try rows.map { row in
            let (id, version, change, actor, requestID, at) = try row.decode((Int64, Int64, String, String, String?, Date).self)
            return HistoryEntry(id: id, version: version, change: change, actor: actor, requestID: requestID, at: at)
        }
    }

    /// Bumps `company`'s entitlement version, appends history and an outbox signal; all on
    /// `connection`, inside the caller's transaction.
    static func bump(_ company: UUID, change kind: String, before: String?, after: String?, context: ChangeContext,
                     on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let rows = try await connection.query("""
            INSERT INTO company_entitlement_versions (company_id, version) VALUES (\(company), 1)
            ON CONFLICT (company_id) DO UPDATE SET version = company_entitlement_versions.version + 1, updated_at = now()
            RETURNING version
            """, logger: logger).collect()
        let version = try rows[0].decode(Int64.self)
        try await connection.query("""
            INSERT INTO entitlement_history (company_id, version, change, before, after, actor, request_id)
            VALUES (\(company), \(version), \(kind), \(before)::jsonb, \(after)::jsonb, \(context.actor), \(context.requestID))
            """, logger: logger)
        try await connection.query(
            "INSERT INTO entitlement_outbox (company_id, entitlement_version) VALUES (\(company), \(version))", logger: logger)
        return version
    }

    static func audit(_ action: String, targetType: String, targetID: String, before: String?, after: String?,
                      context: ChangeContext, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO audit_events (actor, action, target_type, target_id, before, after, request_id)
            VALUES (\(context.actor), \(action), \(targetType), \(targetID), \(before)::jsonb, \(after)::jsonb, \(context.requestID))
            """, logger: logger)
    }

    static func json(_ value: some Encodable) -> String? {
        (try? JSONEncoder.platform.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}
