import AIService
import AdminService
import AuthService
import BasicService
import CanaryService
import CoreService
import FinanceService
import Foundation
import MarketService
import PlatformDaemon
import PlatformInventory
import PlatformTesting
import ServiceAuth
import Testing
import TouringService
import VenueService

/// The repository's own inventory: valid, in agreement with the daemons' declarations and the
/// alert rules, and every file generated from it current.
@Suite struct RepositoryInventoryTests {
    let root = TestEnvironment.root
    var inventory: Inventory {
        get throws { try Inventory.load(from: root.appendingPathComponent("daemons/inventory.yml")) }
    }

    static let descriptors = [CoreDaemon.descriptor, AuthDaemon.descriptor, AdminDaemon.descriptor, CanaryDaemon.descriptor,
                              BasicDaemon.descriptor, FinanceDaemon.descriptor, MarketDaemon.descriptor, TouringDaemon.descriptor,
                              VenueDaemon.descriptor, AIDaemon.descriptor]

    @Test func everyGeneratedFileIsCurrent() throws {
        let stale = try inventory.staleFiles(root: root)
        #expect(stale.isEmpty, "stale (run `kisum-ops inventory generate`): \(stale.map(\.description))")
    }

    @Test func theInventoryAgreesWithWhatTheDaemonsDeclare() throws {
        let inventory = try inventory
        #expect(inventory.mismatches(with: Self.descriptors) == [])
        #expect(inventory.services.count == Self.descriptors.count)
    }

    @Test func serviceAuthEnforcesTheInventorysMatrix() throws {
        let matrix = try inventory.allowedCallers.mapValues(Set.init)
        #expect(NetworkPolicy.allowedCallers == matrix)
        // The spec's one named rule: Core is reachable from Auth and Admin only.
        #expect(NetworkPolicy.callers(of: "core") == ["auth", "admin"])
    }

    @Test func everyAlertTheInventoryNamesExists() throws {
        let rules = try String(contentsOf: root.appendingPathComponent("daemons/alerts/kisum.rules.yml"), encoding: .utf8)
        #expect(try inventory.unknownAlerts(rulesYAML: rules) == [])
        let renamed = rules.replacingOccurrences(of: "alert: KisumOutboxStuck", with: "alert: KisumOutboxStuckRenamed")
        #expect(try inventory.unknownAlerts(rulesYAML: renamed) == ["KisumOutboxStuck"])
    }

    @Test func prometheusAcceptsEveryScrapeConfiguration() async throws {
        for environment in try inventory.environments {
            let file = root.appendingPathComponent("daemons/prometheus/\(environment.name).yml")
            let check = try await ChildProcess.run("/usr/bin/promtool", ["check", "config", "--syntax-only", file.path])
            #expect(check.status == 0, "\(environment.name): \(check.output)")
        }
    }

    @Test func productionSharesNoRecordWithAnotherEnvironment() throws {
        let inventory = try inventory
        var owners: [String: String] = [:]
        for environment in inventory.environments {
            let zone = DNSZone(inventory: inventory, environment: environment)
            for label in zone.labels {
                let name = environment.hostname(label)
                #expect(owners[name] == nil, "\(name) is in \(environment.name) and \(owners[name] ?? "")")
                owners[name] = environment.name
            }
        }
        let production = try #require(inventory.environment("production"))
        #expect(owners.filter { $0.value != "production" }.keys.allSatisfy { !$0.hasSuffix("." + production.zone) })
    }
}
