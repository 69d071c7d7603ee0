import Foundation
import PlatformInventory
import PlatformTesting
import Testing

/// The template unit with each daemon's credentials drop-in: valid for systemd, and sandboxed
/// to an exposure score of at most 1.5 (`systemd-analyze security`; 6.5 before hardening).
@Suite struct SystemdUnitTests {
    @Test func everyDaemonsUnitVerifiesAndStaysSandboxed() async throws {
        let inventory = try Inventory.load(from: TestEnvironment.root.appendingPathComponent("daemons/inventory.yml"))
        let template = try String(contentsOf: TestEnvironment.root.appendingPathComponent("daemons/systemd/kisum@.service"), encoding: .utf8)
        let folder = TestEnvironment.scratch.appendingPathComponent("units-\(UUID().uuidString)")
        let binaries = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: binaries, withIntermediateDirectories: true)
        for service in inventory.services {
            let unit = "kisum@\(service.name).service"
            // verify wants the program to exist: a stand-in at another path, the rest as committed.
            let program = binaries.appendingPathComponent("kisum-\(service.name)")
            try FileManager.default.copyItem(atPath: "/bin/true", toPath: program.path)
            try template.replacingOccurrences(of: "ExecStart=/opt/kisum/bin/kisum-%i", with: "ExecStart=\(binaries.path)/kisum-%i")
                .write(to: folder.appendingPathComponent(unit), atomically: true, encoding: .utf8)
            let dropIn = folder.appendingPathComponent("\(unit).d")
            try FileManager.default.createDirectory(at: dropIn, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: TestEnvironment.root.appendingPathComponent(SystemdCredentials(service: service).path),
                                             to: dropIn.appendingPathComponent("credentials.conf"))
            let verify = try await ChildProcess.run("/usr/bin/systemd-analyze", ["verify", folder.appendingPathComponent(unit).path])
            #expect(verify.status == 0, "\(unit): \(verify.output)")
            let security = try await ChildProcess.run("/usr/bin/systemd-analyze", ["security", "--offline=true", "--threshold=15",
                                                                                   folder.appendingPathComponent(unit).path])
            #expect(security.status == 0, "\(unit) exposure above 1.5: \(security.output.suffix(400))")
            let loaded = try String(contentsOf: dropIn.appendingPathComponent("credentials.conf"), encoding: .utf8)
            #expect(loaded.components(separatedBy: "LoadCredential=").count - 1 == service.secrets.count, "\(unit)")
        }
        #expect(!template.contains("SupplementaryGroups"), "secrets are per-unit credentials, not a shared group")
    }

    /// The daily backup and the weekly restore drill: a service template and its two timers.
    @Test func backupTimersVerify() async throws {
        let folder = TestEnvironment.scratch.appendingPathComponent("backup-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = TestEnvironment.root.appendingPathComponent("daemons/systemd")
        let service = try String(contentsOf: source.appendingPathComponent("kisum-backup@.service"), encoding: .utf8)
        let program = folder.appendingPathComponent("kisum-ops")
        try FileManager.default.copyItem(atPath: "/bin/true", toPath: program.path)
        for instance in ["run", "drill"] {
            // verify wants the program to exist: a stand-in at another path, the rest as committed.
            try service.replacingOccurrences(of: "/opt/kisum/bin/kisum-ops", with: program.path).write(to: folder.appendingPathComponent("kisum-backup@\(instance).service"), atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(at: source.appendingPathComponent("kisum-backup-\(instance).timer"),
                                             to: folder.appendingPathComponent("kisum-backup-\(instance).timer"))
        }
        let verify = try await ChildProcess.run("/usr/bin/systemd-analyze", ["verify"] + ["kisum-backup-run.timer", "kisum-backup-drill.timer",
                                                                                          "kisum-backup@run.service"].map { folder.appendingPathComponent($0).path })
        #expect(verify.status == 0, "\(verify.output)")
        #expect(service.contains("LoadCredential=admin_db_url:") && !service.contains("postgres://"))
    }
}
