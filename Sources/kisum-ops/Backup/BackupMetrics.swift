import Foundation

/// The backups' state as Prometheus text for node_exporter's textfile collector
/// (`<folder>/kisum_backup.prom`), derived from what is on disk, so a lost run cannot leave a
/// stale claim: the newest backup per database, the last failure, the last restore drill.
struct BackupMetrics {
    let folder: URL

    static let fileName = "kisum_backup.prom"
    static let lastSuccess = "kisum_backup_last_success_timestamp_seconds"
    static let size = "kisum_backup_size_bytes"
    static let lastFailure = "kisum_backup_last_failure_timestamp_seconds"
    static let lastDrill = "kisum_backup_restore_drill_last_success_timestamp_seconds"

    /// Records an attempt's outcome for `database` (`kind`: backup or drill) next to its dumps.
    func record(_ kind: String, database: String, succeeded: Bool, at date: Date = Date()) throws {
        let target = folder.appendingPathComponent(database, isDirectory: true)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = target.appendingPathComponent("\(kind)-\(succeeded ? "success" : "failure").timestamp")
        try String(Int(date.timeIntervalSince1970)).write(to: file, atomically: true, encoding: .utf8)
    }

    /// Rewrites the metrics file from every database folder.
    func write(backup: DatabaseBackup) throws {
        let databases = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder) && isFolder.boolValue
        }.sorted()
        var lines: [String] = []
        for (name, help) in [(Self.lastSuccess, "When the newest complete backup of the database was taken."),
                             (Self.size, "Size of the newest backup of the database."),
                             (Self.lastFailure, "When a backup of the database last failed."),
                             (Self.lastDrill, "When the newest backup was last restored and checked.")] {
            lines += ["# HELP \(name) \(help)", "# TYPE \(name) gauge"]
        }
        for database in databases {
            let label = "{database=\"\(database)\"}"
            if let manifest = try? backup.newestManifest(database, in: folder) {
                lines.append("\(Self.lastSuccess)\(label) \(Int(manifest.createdAt.timeIntervalSince1970))")
                lines.append("\(Self.size)\(label) \(manifest.bytes)")
            }
            if let failed = timestamp(database, "backup-failure") { lines.append("\(Self.lastFailure)\(label) \(failed)") }
            if let drilled = timestamp(database, "drill-success") {
                lines.append("\(Self.lastDrill)\(label) \(drilled)")
            }
        }
        // Readable by node_exporter (not root): the file and the folder, never the dumps' folders.
        let file = folder.appendingPathComponent(Self.fileName)
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
    }

    private func timestamp(_ database: String, _ name: String) -> Int? {
        let file = folder.appendingPathComponent(database).appendingPathComponent("\(name).timestamp")
        return (try? String(contentsOf: file, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
