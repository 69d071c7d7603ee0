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

    /// Production pages reach the pager; the same alert elsewhere, and every ticket, a ticket.
    @Test func alertmanagerRoutesPagesAndTickets() async throws {
        let config = folder.appendingPathComponent("alertmanager.yml").path
        let check = try await ChildProcess.run("/usr/bin/amtool", ["check-config", config])
        #expect(check.status == 0, "\(check.output)")
        for (labels, receiver) in [(["severity=page", "environment=production"], "page"), (["severity=page", "environment=staging"], "ticket"),
                                   (["severity=ticket", "environment=production"], "ticket"), (["alertname=Unlabelled"], "ticket")] {
            let route = try await ChildProcess.run("/usr/bin/amtool", ["config", "routes", "test", "--config.file=\(config)",
                                                                       "--verify.receivers=\(receiver)"] + labels)
            #expect(route.status == 0, "\(labels) should reach \(receiver): \(route.output)")
        }
        // Every rule says whether it pages.
        let rules = try String(contentsOf: folder.appendingPathComponent("kisum.rules.yml"), encoding: .utf8)
        let alerts = rules.components(separatedBy: "- alert:").count - 1
        #expect(alerts >= 20 && alerts == rules.matches(of: /severity: (page|ticket)/).count)
    }

    @Test func everyWatchedMetricIsExported() throws {
        let rules = try String(contentsOf: folder.appendingPathComponent("kisum.rules.yml"), encoding: .utf8)
        // A histogram is watched through its series (`_bucket`, `_sum`, `_count`).
        let watched = Set(rules.matches(of: /kisum_[a-z_]+/).map { String($0.output).replacing(/_(bucket|sum|count)$/, with: "") })
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
