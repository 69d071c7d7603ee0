import Foundation
import PlatformDaemon
import PlatformTesting
import Testing

@Suite struct OperationsOverviewTests {
    @Test func theOverviewAggregatesEveryDaemonWithPerTargetDeadlines() async throws {
        let refused = TestEnvironment.freePort()
        try await PlatformWorld.with(extraTargets: "hung=BLACKHOLE,gone=http://127.0.0.1:\(refused)") { world in
            let eve = try await world.login("eve@kisum.test").token
            let ada = try await world.login("ada@acme.test").token
            _ = try await world.modules(ada)
            _ = try await world.modules(ada)  // a cache hit for the ratio
            let start = ContinuousClock.now
            let reply = try await world.admin("GET", "/admin/v1/operations/overview", token: eve)
            #expect(ContinuousClock.now - start < .seconds(8))  // one deadline (2 s), not one per target in turn
            #expect(reply.status == 200, "\(reply.body)")
            let body = try reply.json()
            let targets = try #require(body["targets"] as? [[String: Any]])
            #expect(targets.map { $0["name"] as? String } == ["core", "auth", "hung", "gone"])
            let auth = try #require(targets.first { $0["name"] as? String == "auth" })
            #expect(auth["ready"] as? Bool == true)
            let metrics = try #require(auth["metrics"] as? [String: Any])
            #expect((metrics["requests"] as? Double ?? 0) > 0)
            #expect(metrics["cache_hit_ratio"] as? Double != nil)
            #expect((metrics["signing_key_age_seconds"] as? Double ?? -1) >= 0)
            let hung = try #require(targets.first { $0["name"] as? String == "hung" })
            #expect(hung["reachable"] as? Bool == false && hung["error"] as? String == "timeout")
            let gone = try #require(targets.first { $0["name"] as? String == "gone" })
            #expect(gone["reachable"] as? Bool == false && gone["error"] as? String == "unreachable")
            let summary = try #require(body["summary"] as? [String: Any])
            #expect(summary["ready"] as? Int == 2 && summary["unreachable"] as? Int == 2)
            // Company owners cannot see it.
            #expect(try await world.admin("GET", "/admin/v1/operations/overview", token: ada).status == 403)
        }
    }
}
