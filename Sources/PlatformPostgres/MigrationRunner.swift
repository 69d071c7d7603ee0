import Foundation

/// Applies a `MigrationSet` to its database as the migration role: in version order, each
/// file in its own transaction, under a PostgreSQL advisory lock (concurrent runs wait for
/// each other), recording a checksum per file and refusing to run when an applied file changed.
public struct MigrationRunner: Sendable {
    /// One migration's state in the database.
    public struct Entry: Sendable, Equatable, Codable {
        public var version: Int
        public var name: String
        public var applied: Bool
        public var appliedAt: String?
    }

    public let settings: PostgresSettings
    public let set: MigrationSet

    public init(settings: PostgresSettings, set: MigrationSet) {
        self.settings = settings
        self.set = set
    }

    static let table = "kisum_schema_migrations"

    /// Applied and pending migrations (blocking; see `LibPQConnection.run`).
    public func status() throws -> [Entry] {
        let connection = try LibPQConnection(settings: settings)
        try ensureTable(connection)
        let applied = try appliedRows(connection)
        try verify(applied)
        return set.migrations.map { migration in
            Entry(version: migration.version, name: migration.name, applied: applied[migration.version] != nil,
                  appliedAt: applied[migration.version]?.appliedAt)
        }
    }

    /// Applies every pending migration and returns those applied now (blocking).
    @discardableResult
    public func migrate(appliedBy: String = "kisum-ops") throws -> [Migration] {
        let connection = try LibPQConnection(settings: settings)
        try connection.execute("SELECT pg_advisory_lock($1)", parameters: [String(lockKey)])
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", parameters: [String(lockKey)]) }

        try ensureTable(connection)
        let applied = try appliedRows(connection)
        try verify(applied)

        var done: [Migration] = []
        for migration in set.migrations where applied[migration.version] == nil {
            do {
                try connection.execute("BEGIN")
                try connection.execute(migration.sql)
                try connection.execute(
                    "INSERT INTO \(Self.table) (version, name, checksum, applied_by) VALUES ($1, $2, $3, $4)",
                    parameters: [String(migration.version), migration.name, migration.checksum, appliedBy])
                try connection.execute("COMMIT")
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw MigrationError(.failed, "\(String(format: "%04d", migration.version))_\(migration.name): \(error)")
            }
            done.append(migration)
        }
        return done
    }

    /// A stable 63-bit key for `pg_advisory_lock`, per database (FNV-1a).
    var lockKey: Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "kisum-migrations:\(set.database)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash & 0x7FFF_FFFF_FFFF_FFFF)
    }

    private func ensureTable(_ connection: LibPQConnection) throws {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(Self.table) (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_by text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    private func appliedRows(_ connection: LibPQConnection) throws -> [Int: (checksum: String, name: String, appliedAt: String)] {
        let rows = try connection.execute("SELECT version, checksum, name, applied_at::text FROM \(Self.table) ORDER BY version")
        var applied: [Int: (checksum: String, name: String, appliedAt: String)] = [:]
        for row in rows {
            guard let version = row[0].flatMap(Int.init) else { continue }
            applied[version] = (row[1] ?? "", row[2] ?? "", row[3] ?? "")
        }
        return applied
    }

    private func verify(_ applied: [Int: (checksum: String, name: String, appliedAt: String)]) throws(MigrationError) {
        let local = Dictionary(uniqueKeysWithValues: set.migrations.map { ($0.version, $0) })
        for (version, row) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = local[version] else {
                throw MigrationError(.unknownApplied, "version \(version) (\(row.name)) is applied but missing here")
            }
            guard migration.checksum == row.checksum else {
                throw MigrationError(.checksumMismatch,
                    "\(String(format: "%04d", version))_\(migration.name).sql changed after it was applied; add a new migration instead")
            }
        }
    }
}
