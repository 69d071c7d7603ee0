import Crypto
import Foundation
import PlatformKit

/// One SQL migration file: `NNNN_description.sql`, applied in version order.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the file's bytes, hex; an applied file must never change.
    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).hexEncoded
    }
}

/// The ordered migrations of one database.
public struct MigrationSet: Sendable {
    public let database: String
    public let migrations: [Migration]

    public init(database: String, migrations: [Migration]) throws(MigrationError) {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw MigrationError(.invalidSet, "two migrations share version \(next.version)")
        }
        self.database = database
        self.migrations = sorted
    }

    /// Loads every `NNNN_name.sql` in `directory`.
    public init(database: String, directory: URL) throws(MigrationError) {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        } catch {
            throw MigrationError(.invalidSet, "cannot read migrations folder \(directory.path)")
        }
        var migrations: [Migration] = []
        for file in files where file.pathExtension == "sql" {
            let base = file.deletingPathExtension().lastPathComponent
            guard let underscore = base.firstIndex(of: "_"), let version = Int(base[..<underscore]), version > 0 else {
                throw MigrationError(.invalidSet, "\(file.lastPathComponent) is not named NNNN_description.sql")
            }
            guard let sql = try? String(contentsOf: file, encoding: .utf8) else {
                throw MigrationError(.invalidSet, "cannot read \(file.lastPathComponent)")
            }
            migrations.append(Migration(version: version, name: String(base[base.index(after: underscore)...]), sql: sql))
        }
        try self.init(database: database, migrations: migrations)
    }
}

/// A migration run was refused or failed.
public struct MigrationError: CodedError {
    public typealias Code = ErrorCode<MigrationError>

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == MigrationError {
    public static let invalidSet = Self("invalid_migration_set")
    public static let checksumMismatch = Self("checksum_mismatch")
    public static let unknownApplied = Self("unknown_applied_migration")
    public static let failed = Self("migration_failed")
}
