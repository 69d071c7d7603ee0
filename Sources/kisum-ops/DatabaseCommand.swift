import ArgumentParser
import Foundation
import PlatformDaemon
import PlatformKit
import PlatformPostgres

/// `kisum-ops db …`: provision a service's database and roles, apply or list migrations.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Provision databases and run migrations.",
        subcommands: [Provision.self, Migrate.self, Status.self])

    /// Reads `<PREFIX>_MIGRATION_DB_URL` (or `_FILE`), the migration role's URL.
    static func migrationSettings(for service: String, url: String?) throws -> (PostgresSettings, MigrationSet) {
        guard let app = DaemonCatalog.find(service) else {
            throw ValidationError("unknown service \(service); known: \(DaemonCatalog.names)")
        }
        guard let prefix = app.descriptor.databasePrefix, let set = app.migrations else {
            throw ValidationError("\(service) has no database")
        }
        let text: String
        if let url {
            text = url
        } else {
            let key = ConfigKey("\(prefix)_MIGRATION_DB_URL", .url(schemes: ["postgres", "postgresql"]), .required,
                                secret: true, summary: "Migration role URL")
            let spec = ConfigSpec(service: "kisum-ops", keys: [key])
            var environment = ProcessInfo.processInfo.environment
            environment["KISUM_ENV"] = environment["KISUM_ENV"] ?? "local"
            text = try ConfigLoader(environment: environment).load(spec).string(key.name)!
        }
        return (try PostgresSettings(url: text), set)
    }

    struct Provision: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a service's database, its migration role and its runtime role (idempotent).")

        @Argument(help: "The database name, e.g. kisum_canary.") var database: String
        @Option(help: "A superuser URL of the cluster (default: $KISUM_ADMIN_DB_URL).") var adminURL: String?
        @Option(help: "File holding the migration role's password.") var migratorPasswordFile: String
        @Option(help: "File holding the runtime role's password.") var runtimePasswordFile: String

        func run() async throws {
            guard let url = adminURL ?? ProcessInfo.processInfo.environment["KISUM_ADMIN_DB_URL"] else {
                throw ValidationError("give --admin-url or set KISUM_ADMIN_DB_URL")
            }
            let admin = try PostgresSettings(url: url)
            let migrator = try String(contentsOfFile: migratorPasswordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let runtime = try String(contentsOfFile: runtimePasswordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let database = database
            let roles = try await LibPQConnection.run {
                try DatabaseProvisioner(admin: admin).provision(database: database, migratorPassword: migrator, runtimePassword: runtime)
            }
            print("provisioned \(database): migration role \(roles.migrator), runtime role \(roles.runtime)")
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending migrations of a service's database.")

        @Argument(help: "The service, e.g. canary.") var service: String
        @Option(help: "The migration role's URL (default: $<PREFIX>_MIGRATION_DB_URL or its _FILE).") var url: String?

        func run() async throws {
            let (settings, set) = try DatabaseCommand.migrationSettings(for: service, url: url)
            let applied = try await LibPQConnection.run { try MigrationRunner(settings: settings, set: set).migrate() }
            if applied.isEmpty {
                print("\(service): up to date (\(set.migrations.count) migrations)")
            } else {
                for migration in applied { print("\(service): applied \(String(format: "%04d", migration.version))_\(migration.name)") }
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List applied and pending migrations.")

        @Argument(help: "The service, e.g. canary.") var service: String
        @Option(help: "The migration role's URL (default: $<PREFIX>_MIGRATION_DB_URL or its _FILE).") var url: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let (settings, set) = try DatabaseCommand.migrationSettings(for: service, url: url)
            let entries = try await LibPQConnection.run { try MigrationRunner(settings: settings, set: set).status() }
            if json {
                let data = try JSONEncoder.platform.encode(entries)
                print(String(decoding: data, as: UTF8.self))
                return
            }
            for entry in entries {
                let state = entry.applied ? "applied \(entry.appliedAt ?? "")" : "pending"
                print("\(String(format: "%04d", entry.version))_\(entry.name)  \(state)")
            }
        }
    }
}
