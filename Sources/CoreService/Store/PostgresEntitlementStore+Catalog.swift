import Foundation
import HTTPTypes
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO
import Prometheus

extension PostgresEntitlementStore {
    public func createModule(key: String, name: String, change: ChangeContext) async throws -> CatalogModule {
        try await database.withTransaction("catalog_write", logger: logger) { connection in
            try await Self.insertUnique("INSERT INTO modules (key, name) VALUES (\(key), \(name)) ON CONFLICT DO NOTHING RETURNING key",
                                        kind: "module", key: key, on: connection, logger: logger)
            let module = CatalogModule(key: key, name: name, status: .active, version: 1)
            try await Self.audit("catalog.module.create", targetType: "module", targetID: key, before: nil,
                                 after: Self.json(module), context: change, on: connection, logger: logger)
            try await Self.bumpCatalogVersion(on: connection, logger: logger)
            return module
        }
    }

    public func createPackage(key: String, name: String, modules: [String], change: ChangeContext) async throws -> CatalogPackage {
        try await database.withTransaction("catalog_write", logger: logger) { connection in
            try await Self.requireModules(modules, on: connection, logger: logger)
            try await Self.insertUnique("INSERT INTO packages (key, name) VALUES (\(key), \(name)) ON CONFLICT DO NOTHING RETURNING key",
                                        kind: "package", key: key, on: connection, logger: logger)
            for module in Set(modules) {
                try await connection.query("INSERT INTO package_modules (package_key, module_key) VALUES (\(key), \(module))", logger: logger)
            }
            let package = CatalogPackage(key: key, name: name, status: .active, version: 1, modules: Set(modules).sorted())
            try await Self.audit("catalog.package.create", targetType: "package", targetID: key, before: nil,
                                 after: Self.json(package), context: change, on: connection, logger: logger)
            try await Self.bumpCatalogVersion(on: connection, logger: logger)
            return package
        }
    }

    public func createAddon(key: String, name: String, module: String, change: ChangeContext) async throws -> CatalogAddon {
        guard module != CatalogModule.coreApp else {
            throw PlatformError(.validationFailed, "core_app comes only with the Basic package; it cannot be an add-on")
        }
        return try await database.withTransaction("catalog_write", logger: logger) { connection in
            try await Self.requireModules([module], on: connection, logger: logger)
            try await Self.insertUnique(
                "INSERT INTO addons (key, name, module_key) VALUES (\(key), \(name), \(module)) ON CONFLICT DO NOTHING RETURNING key",
                kind: "add-on", key: key, on: connection, logger: logger)
            let addon = CatalogAddon(key: key, name: name, status: .active, version: 1, module: module)
            try await Self.audit("catalog.addon.create", targetType: "addon", targetID: key, before: nil,
                                 after: Self.json(addon), context: change, on: connection, logger: logger)
            try await Self.bumpCatalogVersion(on: connection, logger: logger)
            return addon
        }
    }

    public func updatePackage(key: String, name: String, modules: [String], expectedVersion: Int,
                              change: ChangeContext) async throws -> (CatalogPackage, VersionReply) {
        try await database.withTransaction("catalog_write", logger: logger) { connection in
            try await Self.requireModules(modules, on: connection, logger: logger)
            let catalog = try await Self.catalog(on: connection, logger: logger)
            guard let before = catalog.packages.first(where: { $0.key == key }) else {
                throw PlatformError(.notFound, "no package \(key)")
            }
            let updated = try await connection.query("""
                UPDATE packages SET name = \(name), version = version + 1, updated_at = now()
                WHERE key = \(key) AND version = \(expectedVersion) RETURNING version
                """, logger: logger).collect()
            guard let row = updated.first else { throw CoreError.versionMismatch("package", key, current: before.version) }
            let wanted = Set(modules)
            try await connection.query("DELETE FROM package_modules WHERE package_key = \(key)", logger: logger)
            for module in wanted {
                try await connection.query("INSERT INTO package_modules (package_key, module_key) VALUES (\(key), \(module))", logger: logger)
            }
            let after = CatalogPackage(key: key, name: name, status: before.status, version: try row.decode(Int.self),
                                       modules: wanted.sorted())
            try await Self.audit("catalog.package.update", targetType: "package", targetID: key, before: Self.json(before),
                                 after: Self.json(after), context: change, on: connection, logger: logger)
            try await Self.bumpCatalogVersion(on: connection, logger: logger)
            // Every company on this package gets a new version and history entry: a catalog
            // change never silently changes a paying company's modules.
            var affected = 0
            if Set(before.modules) != wanted {
                let companies = try await connection.query(
                    "SELECT company_id FROM company_subscriptions WHERE package_key = \(key) ORDER BY company_id FOR UPDATE",
                    logger: logger).collect()
                for company in companies {
                    _ = try await Self.bump(try company.decode(UUID.self), change: "package_modules_changed:\(key)",
                                            before: Self.json(before.modules), after: Self.json(after.modules),
                                            context: change, on: connection, logger: logger)
                    affected += 1
                }
            }
            return (after, VersionReply(affectedCompanies: affected))
        }
    }

    public func rename(kind: CatalogKind, key: String, name: String, expectedVersion: Int, change: ChangeContext) async throws -> Int {
        try await database.withTransaction("catalog_write", logger: logger) { connection in
            let table = kind.rawValue  // from a closed enum, never from input
            var binds = Self.binds(key)
            binds.append(name)
            binds.append(expectedVersion)
            let updated = try await connection.query(PostgresQuery(
                unsafeSQL: "UPDATE \(table) SET name = $2, version = version + 1, updated_at = now() WHERE key = $1 AND version = $3 RETURNING version",
                binds: binds), logger: logger).collect()
            guard let row = updated.first else {
                let current = try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT version FROM \(table) WHERE key = $1", binds: Self.binds(key)), logger: logger).collect()
                guard let found = current.first else { throw PlatformError(.notFound, "no \(kind) \(key)") }
                throw CoreError.versionMismatch(String(describing: kind), key, current: try found.decode(Int.self))
            }
            try await Self.audit("catalog.\(kind).rename", targetType: String(describing: kind), targetID: key, before: nil,
                                 after: Self.json(["name": name]), context: change, on: connection, logger: logger)
            try await Self.bumpCatalogVersion(on: connection, logger: logger)
            return try row.decode(Int.self)
        }
    }

    public func retire(kind: CatalogKind, key: String, expectedVersion: Int, change: ChangeContext) async throws {
        try await database.withTransaction("catalog_write", logger: logger) { connection in
            let table = kind.rawValue  // from a closed enum, never from input
            let current = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT version, status FROM \(table) WHERE key = $1", binds: Self.binds(key)),
                logger: logger).collect()
            guard let row = current.first else { throw PlatformError(.notFound, "no \(kind) \(key)") }
            let (version, status) = try row.decode((Int, String).self)
            guard version == expectedVersion else { throw CoreError.versionMismatch(String(describing: kind), key, current: version) }
            guard status == CatalogStatus.active.rawValue else { return }
            try await connection.query(PostgresQuery(
                unsafeSQL: "UPDATE \(table) SET status = 'retired', version = version + 1, updated_at = now() WHERE key = $1",
                binds: Self.binds(key)), logger: logger)
            try await Self.audit("catalog.\(kind).retire", targetType: String(describing: kind), targetID: key,
                                 before: Self.json(["status": status]), after: Self.json(["status": "retired"]),
                                 context: change, on: connection, logger: logger)
            try await Self.bumpCatalogVersion(on: connection, logger: logger)
        }
    }

    /// Every catalog write bumps the catalog version in its transaction (see `CatalogCache`).
    static func bumpCatalogVersion(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("UPDATE catalog_state SET version = version + 1 WHERE id = 1", logger: logger)
    }

    static func binds(_ key: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(key)
        return binds
    }

    static func insertUnique(_ query: PostgresQuery, kind: String, key: String, on connection: PostgresConnection,
                             logger: Logger) async throws {
        let inserted = try await connection.query(query, logger: logger).collect()
        guard !inserted.isEmpty else { throw PlatformError(CoreError.alreadyExists, "\(kind) \(key) exists") }
    }

    static func requireModules(_ modules: [String], on connection: PostgresConnection, logger: Logger) async throws {
        let known = try await connection.query("SELECT key FROM modules WHERE key = ANY(\(modules))", logger: logger)
            .collect().map { try $0.decode(String.self) }
        let missing = Set(modules).subtracting(known).sorted()
        guard missing.isEmpty else { throw CoreError.unknownModules(missing) }
    }
}
