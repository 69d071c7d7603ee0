import Crypto
import Foundation
import PlatformKit
import PlatformPostgres

/// One database's backup: a `pg_dump` custom-format file taken inside an exported snapshot, its
/// SHA-256, and the row count of every table and the applied migrations in that same snapshot
/// (what a restore drill compares against).
struct BackupManifest: Codable, Equatable, Sendable {
    let database: String
    let file: String
    let sha256: String
    let createdAt: Date
    let bytes: Int
    let rowCounts: [String: Int]
    let migrations: Int
}

/// Backups and restore drills of the platform's databases with PostgreSQL's own tools. The
/// password travels in `PGPASSWORD` to the tools, never on a command line.
struct DatabaseBackup {
    /// A role that may read every table and create and drop databases (the cluster's superuser).
    let admin: PostgresSettings
    /// The folder holding `pg_dump` and `pg_restore`.
    let tools: URL
    /// Dumps kept per database (older ones are deleted after a successful backup).
    var keep = 7

    /// Dumps `database` into `folder/<database>/`, returns its manifest.
    func backup(_ database: String, into folder: URL, now: Date = Date()) throws -> BackupManifest {
        let target = folder.appendingPathComponent(database, isDirectory: true)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let stamp = Self.stamp(now)
        let dump = target.appendingPathComponent("\(stamp).dump")
        // Written under a temporary name and renamed once whole: a failed run leaves nothing
        // that looks like a backup (and takes no place among those kept).
        let partial = target.appendingPathComponent("\(stamp).dump.partial")
        defer { try? FileManager.default.removeItem(at: partial) }
        let settings = admin.with(database: database)
        let connection = try LibPQConnection(settings: settings)
        // The counts and the dump see the same snapshot: the drill can demand equality.
        _ = try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        let snapshot = try connection.execute("SELECT pg_export_snapshot()").first?.first.flatMap { $0 } ?? ""
        let counts = try Self.rowCounts(connection)
        let migrations = try Self.migrationCount(connection)
        try run("pg_dump", ["--format=custom", "--no-password", "--snapshot=\(snapshot)", "--file=\(partial.path)", "--dbname=\(Self.conninfo(settings))"],
                password: settings.password)
        _ = try connection.execute("COMMIT")
        let (sha256, bytes) = try Self.digest(partial)
        try FileManager.default.moveItem(at: partial, to: dump)
        let manifest = BackupManifest(database: database, file: dump.lastPathComponent, sha256: sha256,
                                      createdAt: now, bytes: bytes, rowCounts: counts, migrations: migrations)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: target.appendingPathComponent("\(stamp).json"), options: .atomic)
        try prune(target)
        return manifest
    }

    /// Restores the newest backup of `database` into a scratch database, checks its checksum,
    /// every table's row count and the migrations against the manifest, then drops it.
    func restoreDrill(_ database: String, from folder: URL) throws -> (manifest: BackupManifest, seconds: Double) {
        let started = ContinuousClock.now
        let manifest = try newestManifest(database, in: folder)
        let dump = folder.appendingPathComponent(database).appendingPathComponent(manifest.file)
        guard try Self.digest(dump).sha256 == manifest.sha256 else {
            throw BackupError("\(dump.path) does not match its recorded SHA-256: the file is damaged")
        }
        let scratch = "\(database)_drill_\(Int(Date().timeIntervalSince1970))"
        let cluster = try LibPQConnection(settings: admin.with(database: "postgres"))
        // Scratch databases an interrupted drill left behind go first.
        for row in try cluster.execute("SELECT datname FROM pg_database WHERE datname LIKE $1", parameters: ["\(database)_drill_%"]) {
            if let name = row.first ?? nil, Self.isScratchName(name, of: database) { _ = try cluster.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        }
        _ = try cluster.execute("CREATE DATABASE \(scratch)")
        defer {
            do { _ = try cluster.execute("DROP DATABASE IF EXISTS \(scratch) WITH (FORCE)") } catch {
                FileHandle.standardError.write(Data("warning: could not drop the drill database \(scratch): \(error)\n".utf8))
            }
        }
        let target = admin.with(database: scratch)
        try run("pg_restore", ["--no-password", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname=\(Self.conninfo(target))", dump.path],
                password: target.password)
        let restored = try LibPQConnection(settings: target)
        let counts = try Self.rowCounts(restored)
        guard counts == manifest.rowCounts else {
            let differing = Set(counts.keys).union(manifest.rowCounts.keys).filter { counts[$0] != manifest.rowCounts[$0] }.sorted()
            throw BackupError("the restored \(database) differs from its backup in \(differing.joined(separator: ", "))")
        }
        guard try Self.migrationCount(restored) == manifest.migrations else {
            throw BackupError("the restored \(database) has a different number of applied migrations than its backup")
        }
        let elapsed = ContinuousClock.now - started
        return (manifest, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    func newestManifest(_ database: String, in folder: URL) throws -> BackupManifest {
        let target = folder.appendingPathComponent(database)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? []
        guard let newest = names.filter({ $0.hasSuffix(".json") }).sorted().last else {
            throw BackupError("no backup of \(database) in \(target.path)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(BackupManifest.self, from: Data(contentsOf: target.appendingPathComponent(newest)))
    }

    /// Keeps the newest `keep` complete backups (a manifest and its dump); nothing else is touched.
    private func prune(_ target: URL) throws {
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: target.path))
        let stamps = names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.filter { names.contains("\($0).dump") }.sorted()
        for stamp in stamps.dropLast(max(1, keep)) {
            for suffix in ["dump", "json"] { try? FileManager.default.removeItem(at: target.appendingPathComponent("\(stamp).\(suffix)")) }
        }
    }

    private func run(_ tool: String, _ arguments: [String], password: String?) throws {
        let process = Process()
        process.executableURL = tools.appendingPathComponent(tool)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = password
        environment["PGCONNECT_TIMEOUT"] = "10"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BackupError("\(tool) exited \(process.terminationStatus): \(String(decoding: output.prefix(2000), as: UTF8.self))")
        }
    }

    /// The SHA-256 and size of a file, read in pieces (dumps can be larger than memory).
    static func digest(_ file: URL) throws -> (sha256: String, bytes: Int) {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256(), bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += chunk.count
        }
        return (hasher.finalize().hexEncoded, bytes)
    }

    /// `<database>_drill_<digits>`: only what a drill created is ever dropped.
    static func isScratchName(_ name: String, of database: String) -> Bool {
        let prefix = "\(database)_drill_"
        return name.hasPrefix(prefix) && name.count > prefix.count && name.dropFirst(prefix.count).allSatisfy(\.isNumber)
    }

    /// Every user table's row count, `schema.table` → rows.
    static func rowCounts(_ connection: LibPQConnection) throws -> [String: Int] {
        let tables = try connection.execute("""
            SELECT quote_ident(schemaname) || '.' || quote_ident(relname) FROM pg_stat_user_tables ORDER BY 1
            """).compactMap { $0.first ?? nil }
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = Int(try connection.execute("SELECT count(*) FROM \(table)").first?.first.flatMap { $0 } ?? "") ?? -1
        }
        return counts
    }

    static func migrationCount(_ connection: LibPQConnection) throws -> Int {
        let exists = try connection.execute("SELECT to_regclass('public.kisum_schema_migrations') IS NOT NULL").first?.first.flatMap { $0 }
        guard exists == "t" else { return 0 }
        return Int(try connection.execute("SELECT count(*) FROM kisum_schema_migrations").first?.first.flatMap { $0 } ?? "") ?? 0
    }

    /// A libpq connection string without the password (it goes in `PGPASSWORD`).
    static func conninfo(_ settings: PostgresSettings) -> String {
        var copy = settings
        copy.password = nil
        return copy.conninfo
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return formatter.string(from: date)
    }
}

struct BackupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
