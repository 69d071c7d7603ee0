import Foundation
import PlatformPostgres

/// A fresh database on the test cluster, provisioned with a migration role and a runtime
/// role exactly as `kisum-ops db provision` does, with migrations applied.
public struct TestDatabase: Sendable {
    public let name: String
    public let admin: PostgresSettings
    public let migrator: PostgresSettings
    public let runtime: PostgresSettings

    /// Creates the database; applies `migrations` (renamed to this database) when given.
    public static func create(migrations: MigrationSet? = nil) async throws -> TestDatabase {
        let admin = try PostgresSettings(url: TestEnvironment.postgresURL)
        let name = TestEnvironment.uniqueName("t")
        let roles = try await LibPQConnection.run {
            try DatabaseProvisioner(admin: admin).provision(database: name, migratorPassword: "migrator-pw", runtimePassword: "runtime-pw")
        }
        let database = TestDatabase(
            name: name, admin: admin.with(database: name),
            migrator: admin.with(username: roles.migrator, password: "migrator-pw", database: name),
            runtime: admin.with(username: roles.runtime, password: "runtime-pw", database: name))
        if let migrations {
            let set = try MigrationSet(database: name, migrations: migrations.migrations)
            _ = try await LibPQConnection.run { try MigrationRunner(settings: database.migrator, set: set).migrate() }
        }
        return database
    }

    /// The runtime role's URL, as a daemon is configured.
    public var runtimeURL: String {
        "postgres://\(runtime.username):runtime-pw@\(runtime.host):\(runtime.port)/\(name)?sslmode=disable"
    }
}

extension TestDatabase {
    /// Runs `sql` as the database owner and returns its rows as text (NULL as nil).
    public func rows(_ sql: String, _ parameters: [String?] = []) async throws -> [[String?]] {
        try await LibPQConnection.run { [admin] in try LibPQConnection(settings: admin).execute(sql, parameters: parameters) }
    }

    /// Runs a script of several statements (a whole transaction, say) as the database owner,
    /// on its own connection; returns the rows of the last statement.
    @discardableResult
    public func script(_ sql: String) async throws -> [[String?]] {
        try await LibPQConnection.run { [admin] in try LibPQConnection(settings: admin).execute(sql) }
    }
}
