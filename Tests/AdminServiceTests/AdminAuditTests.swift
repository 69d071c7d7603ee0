import Foundation
import PlatformDaemon
import PlatformPostgres
import PlatformTesting
import Testing

/// Every mutation is audited (who, permission, what, target, before/after, reason, request id,
/// outcome) in Admin's trail and named in Auth's and Core's; no audit, no action.
@Suite struct AdminAuditTests {
    @Test func mutationsAreAuditedAndTheTrailIsFilteredAndPaginated() async throws {
        try await PlatformWorld.with { world in
            let root = try await world.login("root@kisum.test").token
            let removed = try await TestHTTP.send("DELETE", world.admin.publicURL! + "/admin/v1/companies/acme/addons/finance_addon",
                                                  headers: [("authorization", "Bearer \(root)"), ("content-type", "application/json"),
                                                            ("x-request-id", "req-audit-1")],
                                                  body: #"{"reason":"downgrade"}"#)
            #expect(removed.status == 200)
            #expect(try await world.admin("POST", "/admin/v1/catalog/modules", token: root, body: #"{"key":"venue","name":"Venue"}"#).status == 200)
            #expect(try await world.admin("POST", "/admin/v1/catalog/modules", token: root, body: #"{"key":"venue","name":"Venue"}"#).status == 409)

            let page = try await world.admin("GET", "/admin/v1/audit?action=addon.remove", token: root)
            #expect(page.status == 200)
            let events = try #require(try page.json()["events"] as? [[String: Any]])
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event["actor_email"] as? String == "root@kisum.test")
            #expect(event["permission"] as? String == "subscriptions.write")
            #expect(event["target"] as? String == "acme")
            #expect(event["reason"] as? String == "downgrade")
            #expect(event["outcome"] as? String == "ok")
            #expect(event["request_id"] as? String == "req-audit-1")
            #expect((event["before"] as? String)?.contains("finance_addon") == true)
            #expect(event["after"] as? String != nil)

            let failed = try await world.admin("GET", "/admin/v1/audit?outcome=failed", token: root)
            #expect((try failed.json()["events"] as? [[String: Any]])?.first?["error_code"] as? String == "already_exists")

            let first = try await world.admin("GET", "/admin/v1/audit?limit=1", token: root)
            let cursor = try #require(try first.json()["next_before"] as? Int)
            let second = try await world.admin("GET", "/admin/v1/audit?limit=1&before=\(cursor)", token: root)
            let next = try #require((try second.json()["events"] as? [[String: Any]])?.first?["id"] as? Int)
            #expect(next < cursor)
            #expect(try await world.admin("GET", "/admin/v1/audit?outcome=maybe", token: root).status == 400)
            #expect(try await world.admin("GET", "/admin/v1/audit?since=yesterday", token: root).status == 400)

            // Core's history names the administrator too.
            let history = try await world.call(world.core, "GET", "/internal/v1/companies/\(world.company)/history")
            #expect(history.body.contains("admin:root@kisum.test"))
        }
    }

    @Test func withoutItsAuditTrailAdminRefusesToChangeAnything() async throws {
        try await PlatformWorld.with { world in
            let root = try await world.login("root@kisum.test").token
            let ada = try await world.login("ada@acme.test").token
            _ = try await world.adminDatabase.rows("REVOKE INSERT ON admin_audit_events FROM \(world.adminDatabase.runtime.username)")
            let refused = try await world.admin("DELETE", "/admin/v1/companies/acme/addons/finance_addon", token: root, body: #"{"reason":"x"}"#)
            #expect(refused.status == 503 && refused.body.contains("audit_unavailable"))
            #expect(try await world.modules(ada) == ["core_app", "finance"])
            // Reads still work.
            #expect(try await world.admin("GET", "/admin/v1/catalog", token: root).status == 200)
        }
    }

    @Test func anUnreachableUpstreamIsAClear503() async throws {
        try await PlatformWorld.with { world in
            let root = try await world.login("root@kisum.test").token
            try await world.core.shutdown()
            let reply = try await world.admin("GET", "/admin/v1/catalog", token: root)
            #expect(reply.status == 503 && reply.body.contains("upstream_unavailable"))
        }
    }
}
