import Foundation
import PlatformDaemon
import PlatformSmoke
import PlatformTesting
import Testing

/// The post-deployment smoke test against a real platform, passing and failing.
@Suite struct SmokeRunTests {
    func target(_ world: PlatformWorld) -> SmokeTarget {
        SmokeTarget(authURL: world.auth.publicURL!, authManagementURL: world.auth.managementURL, coreManagementURL: world.core.managementURL,
                    adminURL: world.admin.publicURL!, adminEmail: "root@kisum.test", adminPassword: PlatformWorld.password,
                    userEmail: "ada@acme.test", userPassword: PlatformWorld.password, company: "acme", addon: "finance_addon",
                    module: "finance", serviceKey: world.keys["admin"]!)
    }

    @Test func passesOnAHealthyPlatformAndLeavesTheSubscriptionAsItWas() async throws {
        try await PlatformWorld.with { world in
            let before = try await world.call(world.core, "GET", "/internal/v1/companies/\(world.company)/subscription").json()["addons"] as? [[String: Any]]
            let results = await SmokeRun(target: target(world)).run()
            #expect(results.filter { $0.outcome == .failed }.isEmpty, "\(results.map(\.line))")
            #expect(results.filter { $0.outcome == .passed }.count == 8)
            #expect(results.last?.detail.contains("finance removed") == true)
            let after = try await world.call(world.core, "GET", "/internal/v1/companies/\(world.company)/subscription").json()["addons"] as? [[String: Any]]
            #expect(after?.map { $0["addon_key"] as? String } == before?.map { $0["addon_key"] as? String })
            #expect(after?.first?["status"] as? String == "active")
        }
    }

    @Test func namesWhatFails() async throws {
        try await PlatformWorld.with { world in
            var wrong = target(world)
            wrong.userPassword = "not-the-password"
            let results = await SmokeRun(target: wrong).run()
            #expect(results.map(\.name) == ["auth ready", "core ready", "login"])
            #expect(results.last?.outcome == .failed && results.last?.detail.contains("401") == true)
        }
    }
}
