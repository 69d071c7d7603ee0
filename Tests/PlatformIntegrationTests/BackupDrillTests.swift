import CanaryService
import Foundation
import PlatformTesting
import Testing

/// `kisum-ops backup run|drill` against a real database: a backup holds every row of one
/// snapshot, a drill restores it into a scratch database and proves it equal, a damaged dump
/// fails the drill, and the node_exporter metrics say when each last succeeded.
@Suite(.timeLimit(.minutes(3))) struct BackupDrillTests {
    @Test func aBackupRestoresEqualAndADamagedOneFailsItsDrill() async throws {
        let database = try await TestDatabase.create(migrations: CanaryDaemon.migrations!)
        _ = try await database.script("INSERT INTO canary_notes (body) SELECT 'note ' || i FROM generate_series(1, 250) i")
        let folder = TestEnvironment.scratch.appendingPathComponent("backups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let urlFile = folder.appendingPathComponent("admin-url")
        try TestEnvironment.postgresURL.write(to: urlFile, atomically: true, encoding: .utf8)
        let common = ["--folder", folder.path, "--admin-url-file", urlFile.path, "--database", database.name,
                      "--pg-bin", TestEnvironment.postgresBin]
        let ops = TestEnvironment.binary("kisum-ops").path

        let backup = try await ChildProcess.run(ops, ["backup", "run"] + common)
        #expect(backup.status == 0, "\(backup.output)")
        let target = folder.appendingPathComponent(database.name)
        let manifestName = try #require(try FileManager.default.contentsOfDirectory(atPath: target.path).first { $0.hasSuffix(".json") })
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: target.appendingPathComponent(manifestName))) as? [String: Any])
        #expect((manifest["row_counts"] as? [String: Int] ?? manifest["rowCounts"] as? [String: Int])?["public.canary_notes"] == 250, "\(manifest)")
        // The dump goes to a folder only root reads; the password never reaches a command line.
        let mode = try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        let metricsMode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("kisum_backup.prom").path)[.posixPermissions] as? Int
        #expect(metricsMode == 0o644, "node_exporter cannot read the metrics")

        let drill = try await ChildProcess.run(ops, ["backup", "drill"] + common)
        #expect(drill.status == 0 && drill.output.contains("restored and checked"), "\(drill.output)")
        let metrics = try String(contentsOf: folder.appendingPathComponent("kisum_backup.prom"), encoding: .utf8)
        for name in ["kisum_backup_last_success_timestamp_seconds", "kisum_backup_size_bytes", "kisum_backup_restore_drill_last_success_timestamp_seconds"] {
            #expect(metrics.contains("\(name){database=\"\(database.name)\"}"), "\(name) missing: \(metrics)")
        }
        let leftovers = try await database.rows("SELECT count(*) FROM pg_database WHERE datname LIKE $1", ["\(database.name)_drill_%"])
        #expect(leftovers.first?.first == "0", "the drill left its scratch database behind")

        // A damaged dump: the drill refuses it before restoring anything.
        let dumpName = manifestName.replacingOccurrences(of: ".json", with: ".dump")
        let handle = try FileHandle(forWritingTo: target.appendingPathComponent(dumpName))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data("damage".utf8))
        try handle.close()
        let damaged = try await ChildProcess.run(ops, ["backup", "drill"] + common)
        #expect(damaged.status == 1 && damaged.output.contains("damaged"), "\(damaged.output)")

        // A new backup with --keep 1 replaces the damaged one; only complete backups count.
        #expect(try await ChildProcess.run(ops, ["backup", "run", "--keep", "1"] + common).status == 0)
        let kept = try FileManager.default.contentsOfDirectory(atPath: target.path).filter { $0.contains(".dump") }
        #expect(kept.count == 1 && kept != [dumpName], "\(kept)")
        #expect(try await ChildProcess.run(ops, ["backup", "drill"] + common).status == 0)

        // An unknown service is a clear error, not a crash.
        let unknown = try await ChildProcess.run(ops, ["backup", "run", "--folder", folder.path, "--admin-url-file", urlFile.path, "--services", "nope"])
        #expect(unknown.status != 0 && unknown.output.contains("not a daemon with a database"), "\(unknown.output)")
    }
}
