import Foundation
import PlatformTesting
import Testing

/// `kisum-ops preflight` on the repository: every machine-checkable item of production's
/// checklists passes (live items skipped without targets), and a planted secret fails it.
@Suite struct PreflightTests {
    @Test func productionPassesAndAPlantedSecretFails() async throws {
        let ops = TestEnvironment.binary("kisum-ops").path
        let root = TestEnvironment.root.path
        let clean = try await ChildProcess.run(ops, ["preflight", "--env", "production", "--root", root])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("PASS   Core is internal-only") && clean.output.contains("0 failed"), "\(clean.output)")

        // A tracked file with a key block: the same check, pointed at a list that includes it.
        let folder = TestEnvironment.scratch.appendingPathComponent("preflight-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let planted = folder.appendingPathComponent("leak.txt")
        try ("-----BEGIN " + "PRIVATE KEY-----\nAAAA\n").write(to: planted, atomically: true, encoding: .utf8)
        let list = folder.appendingPathComponent("tracked")
        try "daemons/inventory.yml\n\(planted.path)\n".write(to: list, atomically: true, encoding: .utf8)
        let leaky = try await ChildProcess.run(ops, ["preflight", "--env", "production", "--root", root, "--tracked-files", list.path])
        #expect(leaky.status == 1 && leaky.output.contains("FAIL   secrets not stored in the repository"), "\(leaky.output)")
    }
}
