import Foundation
import PlatformDaemon
import PlatformTesting
import Testing

/// Who may do what: platform roles map to permissions; company owners are not
/// administrators; refusals are counted and audited; every mutation is audited.
@Suite struct AdminAuthorizationTests {
    @Test func rolesGrantTheirPermissionsAndNothingMore() async throws {
        try await PlatformWorld.with { world in
            let eve = try await world.login("eve@kisum.test").token
            let ops = try await world.login("ops@kisum.test").token
            let ada = try await world.login("ada@acme.test").token

            #expect(try await world.admin("GET", "/admin/v1/me", token: nil).status == 401)
            #expect(try await world.admin("GET", "/admin/v1/me", token: "not.a.token").status == 401)
            let owner = try await world.admin("GET", "/admin/v1/me", token: ada)
            #expect(owner.status == 403 && owner.body.contains("not_a_platform_admin"))
            #expect(try await world.admin("GET", "/admin/v1/catalog", token: ada).status == 403)

            let me = try await world.admin("GET", "/admin/v1/me", token: eve)
            #expect(me.status == 200)
            #expect((try me.json()["permissions"] as? [String])?.contains("catalog.read") == true)
            #expect((try me.json()["permissions"] as? [String])?.contains("catalog.write") == false)
            #expect(try await world.admin("GET", "/admin/v1/catalog", token: eve).status == 200)
            #expect(try await world.admin("GET", "/admin/v1/companies/acme", token: eve).status == 200)
            let write = try await world.admin("POST", "/admin/v1/catalog/modules", token: eve, body: #"{"key":"venue","name":"Venue"}"#)
            #expect(write.status == 403 && write.body.contains("permission_denied"))
            // The viewer cannot learn whether a company exists through a write route either.
            #expect(try await world.admin("POST", "/admin/v1/companies/nope/subscription/cancel", token: eve, body: "{}").status == 403)

            #expect(try await world.admin("POST", "/admin/v1/keys/rotate", token: ops, body: "{}").status == 403)
            #expect(try await world.admin("POST", "/admin/v1/companies/acme/roles", token: ops,
                                          body: #"{"key":"clerk","name":"Clerk","permissions":[]}"#).status == 403)
            #expect(try await world.admin("GET", "/admin/v1/companies/acme/roles", token: ops).status == 200)
            #expect(try await world.admin("POST", "/admin/v1/access/invalidate", token: ops,
                                          body: #"{"company_id":"\#(world.company)","reason":"stale"}"#).status == 200)
            #expect(try await world.admin("POST", "/admin/v1/access/invalidate", token: ops, body: #"{"reason":"none"}"#).status == 422)

            let metrics = try await TestHTTP.get(world.admin.managementURL + "/metrics").body
            #expect((metricValue(metrics, #"kisum_admin_denied_total{permission="catalog.write",reason="missing_permission"}"#) ?? 0) >= 1)
            let denied = try await world.adminDatabase.rows("SELECT actor_email, permission FROM admin_audit_events WHERE outcome = 'denied' ORDER BY id")
            #expect(denied.contains { $0[0] == "eve@kisum.test" && $0[1] == "catalog.write" })
            #expect(denied.contains { $0[0] == "ada@acme.test" && $0[1] == "catalog.read" })
        }
    }

    @Test func removingARoleOrEndingTheSessionTakesEffectAtOnce() async throws {
        try await PlatformWorld.with { world in
            let root = try await world.login("root@kisum.test").token
            let (eve, eveSession) = try await world.login("eve@kisum.test")
            let eveID = try #require(try await world.admin("GET", "/admin/v1/users?email=eve@kisum.test", token: root)
                .json()["users"].flatMap { ($0 as? [[String: Any]])?.first?["id"] as? String })
            let demoted = try await world.admin("PUT", "/admin/v1/users/\(eveID)/platform-roles", token: root,
                                                body: #"{"platform_roles":[],"reason":"left the team"}"#)
            #expect(demoted.status == 200, "\(demoted.body)")
            #expect(try await world.admin("GET", "/admin/v1/catalog", token: eve).status == 403)
            #expect(try await world.admin("PUT", "/admin/v1/users/\(eveID)/platform-roles", token: root,
                                          body: #"{"platform_roles":["platform_god"]}"#).status == 422)
            #expect(try await world.admin("PUT", "/admin/v1/users/\(eveID)/platform-roles", token: root,
                                          body: #"{"platform_roles":["platform_viewer"]}"#).status == 200)
            #expect(try await world.admin("GET", "/admin/v1/catalog", token: eve).status == 200)
            #expect(try await world.admin("POST", "/admin/v1/sessions/\(eveSession)/revoke", token: root, body: "{}").status == 200)
            let ended = try await world.admin("GET", "/admin/v1/catalog", token: eve)
            #expect(ended.status == 401 && ended.body.contains("session_revoked"))
        }
    }

    @Test func highRiskActionsNeedTheirTargetNamedAndAReason() async throws {
        try await PlatformWorld.with { world in
            var root = try await world.login("root@kisum.test").token
            let keys = try await world.admin("GET", "/admin/v1/keys", token: root)
            let active = try #require((try keys.json()["keys"] as? [[String: Any]])?.first { $0["state"] as? String == "active" }?["kid"] as? String)
            #expect(try await world.admin("POST", "/admin/v1/keys/rotate", token: root, body: #"{"emergency":true,"reason":"leak"}"#).status == 428)
            #expect(try await world.admin("POST", "/admin/v1/keys/rotate", token: root,
                                          body: #"{"emergency":true,"confirm":"\#(active)"}"#).status == 428)  // no reason
            let rotated = try await world.admin("POST", "/admin/v1/keys/rotate", token: root,
                                                body: #"{"emergency":true,"confirm":"\#(active)","reason":"key leaked"}"#)
            #expect(rotated.status == 200, "\(rotated.body)")
            // The emergency retired the key that signed root's own token: refused at once.
            let stale = try await world.admin("POST", "/admin/v1/keys/rotate", token: root, body: #"{"reason":"routine"}"#)
            #expect(stale.status == 401 && stale.body.contains("key_unknown"), "\(stale.body)")
            root = try await world.login("root@kisum.test").token
            #expect(try await world.admin("POST", "/admin/v1/keys/rotate", token: root, body: #"{"reason":"routine"}"#).status == 200)

            #expect(try await world.admin("POST", "/admin/v1/companies/acme/status", token: root, body: #"{"status":"bogus"}"#).status == 422)
            let reject = try await world.admin("POST", "/admin/v1/companies/acme/status", token: root, body: #"{"status":"rejected","reason":"fraud"}"#)
            #expect(reject.status == 428)
            #expect(try await world.admin("POST", "/admin/v1/catalog/addons/finance_addon/retire", token: root, body: #"{"reason":"x"}"#).status == 428)
            let ada = try await world.admin("GET", "/admin/v1/users?email=ada@acme.test", token: root)
            let adaID = try #require((try ada.json()["users"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await world.admin("POST", "/admin/v1/users/\(adaID)/sessions/revoke-all", token: root,
                                          body: #"{"reason":"x","confirm":"someone@else"}"#).status == 428)
            let all = try await world.admin("POST", "/admin/v1/users/\(adaID)/sessions/revoke-all", token: root,
                                            body: #"{"reason":"compromised","confirm":"ada@acme.test"}"#)
            #expect(all.status == 200, "\(all.body)")
            let suspended = try await world.admin("POST", "/admin/v1/companies/acme/status", token: root,
                                                  body: #"{"status":"suspended","reason":"unpaid","confirm":"acme"}"#)
            #expect(suspended.status == 200, "\(suspended.body)")
            let unconfirmed = try await world.adminDatabase.rows("SELECT count(*) FROM admin_audit_events WHERE error_code = 'confirmation_required'")
            #expect(unconfirmed.first?[0] == "5")
        }
    }
}
