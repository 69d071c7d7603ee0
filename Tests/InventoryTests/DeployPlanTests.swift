import Foundation
import PlatformInventory
import PlatformTesting
import Testing

/// The rollout order is the spec's, every daemon's migration comes right before its rollout,
/// and what cannot be undone says so.
@Suite struct DeployPlanTests {
    @Test func productionRollsOutCoreThenAuthThenTheBackendsThenAdmin() throws {
        let inventory = try Inventory.load(from: TestEnvironment.root.appendingPathComponent("daemons/inventory.yml"))
        let plan = DeployPlan(inventory: inventory, environment: try #require(inventory.environment("production")))
        let order = plan.steps.map { "\($0.kind.rawValue) \($0.service ?? "")" }
        #expect(order == [
            "migrate core", "rollout core", "migrate auth", "rollout auth",
            "migrate basic", "rollout basic", "migrate finance", "rollout finance", "migrate market", "rollout market",
            "migrate touring", "rollout touring", "migrate venue", "rollout venue", "migrate ai", "rollout ai",
            "migrate admin", "rollout admin", "frontends ", "smoke ",
        ])
        #expect(plan.steps.filter { $0.kind == .migrate }.allSatisfy { $0.undo == nil && $0.command.contains("wait --for=condition=complete") })
        #expect(plan.steps.filter { $0.kind == .rollout }.allSatisfy { $0.undo?.contains("rollout undo") == true })
        #expect(plan.rendered().contains("kisum-ops smoke --env production"))
        // The canary runs in local and dev only.
        #expect(!order.contains("rollout canary"))
        let dev = DeployPlan(inventory: inventory, environment: try #require(inventory.environment("dev")))
        #expect(dev.steps.contains { $0.service == "canary" })
    }
}
