import Foundation
import PlatformTesting
import Testing

/// The alert rules in daemons/alerts: valid for Prometheus, their unit tests pass, and every
/// metric they watch is one a daemon actually exports (a renamed metric must not silently
/// disarm an alert).
@Suite struct AlertRulesTests {
    let folder = TestEnvironment.root.appendingPathComponent("daemons/alerts")

    @Test func rulesAreValidAndTheirUnitTestsPass() async throws {
        let check = try await ChildProcess.run("/usr/bin/promtool", ["check", "rules", folder.appendingPathComponent("kisum.rules.yml").path])
        #expect(check.status == 0, "\(check.output)")
        let test = try await ChildProcess.run("/usr/bin/promtool", ["test", "rules", folder.appendingPathComponent("kisum.rules.test.yml").path])
        #expect(test.status == 0, "\(test.output)")
    }

    @Test func everyWatchedMetricIsExported() throws {
        let rules = try String(contentsOf: folder.appendingPathComponent("kisum.rules.yml"), encoding: .utf8)
        let watched = Set(rules.matches(of: /kisum_[a-z_]+/).map { String($0.output) })
        #expect(watched.count >= 10)
        var exported = Set<String>()
        let sources = TestEnvironment.root.appendingPathComponent("Sources")
        for case let file as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            exported.formUnion(text.matches(of: /"(kisum_[a-z_]+)"/).map { String($0.output.1) })
        }
        #expect(watched.subtracting(exported).isEmpty, "not exported: \(watched.subtracting(exported).sorted())")
    }
}
