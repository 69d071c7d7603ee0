import ArgumentParser
import Foundation
import PlatformDaemon
import PlatformInventory
import PlatformPostgres

/// `kisum-ops backup run|drill`: the databases' backups and the restore drills that prove them.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Back up the platform's databases, and prove the backups restore.",
        subcommands: [Run.self, Drill.self])

    struct Options: ParsableArguments {
        @Option(help: "The backup folder (dumps, manifests and kisum_backup.prom for node_exporter).") var folder: String
        @Option(help: "A file holding a superuser URL of the cluster (default: $KISUM_ADMIN_DB_URL; never put the URL on a command line).")
        var adminURLFile: String?
        @Option(help: "The environment: its services' databases, from daemons/inventory.yml.") var env: String?
        @Option(help: "The repository's root folder (for --env).") var root: String = FileManager.default.currentDirectoryPath
        @Option(help: "Services to include, comma-separated (default: every daemon with a database).") var services: String?
        @Option(help: "Exact database names instead of services (repeatable).") var database: [String] = []
        @Option(help: "The folder of pg_dump and pg_restore.") var pgBin = "/usr/lib/postgresql/15/bin"

        func backup(keep: Int = 7) throws -> DatabaseBackup {
            let fromFile = try adminURLFile.map { try String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
            guard let url = fromFile ?? ProcessInfo.processInfo.environment["KISUM_ADMIN_DB_URL"], !url.isEmpty else {
                throw ValidationError("give --admin-url-file or set KISUM_ADMIN_DB_URL")
            }
            return DatabaseBackup(admin: try PostgresSettings(url: url), tools: URL(fileURLWithPath: pgBin, isDirectory: true), keep: keep)
        }

        /// `kisum_<service>` for each chosen daemon with a database.
        func databases() throws -> [String] {
            if !database.isEmpty { return database }
            if let env {
                let inventory = try Inventory.load(from: URL(fileURLWithPath: root).appendingPathComponent("daemons/inventory.yml"))
                guard let environment = inventory.environment(env) else { throw ValidationError("unknown environment \(env)") }
                return inventory.services(in: environment).compactMap(\.database)
            }
            var withDatabase: [String] = []
            for app in DaemonCatalog.all where app.descriptor.databasePrefix != nil { withDatabase.append(app.descriptor.name) }
            guard let services else { return withDatabase.map { "kisum_\($0)" } }
            let chosen = services.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            for name in chosen where !withDatabase.contains(name) {
                throw ValidationError("\(name) is not a daemon with a database; known: \(withDatabase.joined(separator: ", "))")
            }
            return chosen.map { "kisum_\($0)" }
        }

        var folderURL: URL { URL(fileURLWithPath: folder, isDirectory: true) }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Dump each database inside one snapshot, with its checksum and row counts.")
        @OptionGroup var options: Options
        @Option(help: "Backups kept per database.") var keep = 7

        func run() throws {
            let backup = try options.backup(keep: keep)
            let metrics = BackupMetrics(folder: options.folderURL)
            var failed: [String] = []
            for database in try options.databases() {
                do {
                    let manifest = try backup.backup(database, into: options.folderURL)
                    try metrics.record("backup", database: database, succeeded: true)
                    print("\(database): \(manifest.file), \(manifest.bytes) bytes, \(manifest.rowCounts.count) tables, sha256 \(manifest.sha256.prefix(12))…")
                } catch {
                    try? metrics.record("backup", database: database, succeeded: false)
                    failed.append(database)
                    print("\(database): FAILED: \(error)")
                }
            }
            try metrics.write(backup: backup)
            if !failed.isEmpty { throw ExitCode(1) }
        }
    }

    struct Drill: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore each database's newest backup into a scratch database, compare it with its manifest, drop it.")
        @OptionGroup var options: Options

        func run() throws {
            let backup = try options.backup()
            let metrics = BackupMetrics(folder: options.folderURL)
            var failed: [String] = []
            for database in try options.databases() {
                do {
                    let (manifest, seconds) = try backup.restoreDrill(database, from: options.folderURL)
                    try metrics.record("drill", database: database, succeeded: true)
                    print("\(database): \(manifest.file) restored and checked in \(String(format: "%.1f", seconds)) s (\(manifest.rowCounts.values.reduce(0, +)) rows)")
                } catch {
                    try? metrics.record("drill", database: database, succeeded: false)
                    failed.append(database)
                    print("\(database): DRILL FAILED: \(error)")
                }
            }
            try metrics.write(backup: backup)
            if !failed.isEmpty { throw ExitCode(1) }
        }
    }
}
