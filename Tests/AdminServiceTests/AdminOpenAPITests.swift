import Foundation
import PlatformDaemon
import PlatformTesting
import Testing

/// Admin's API document, as served, matches its routes, and real answers match it.
@Suite struct AdminOpenAPITests {
    @Test func documentMatchesTheRunningService() async throws {
        try await PlatformWorld.with { world in
            let root = try await world.login("root@kisum.test").token
            let ada = try await world.login("ada@acme.test")
            var samples: [[String: Any]] = []
            func call(_ method: String, _ template: String, _ path: String? = nil, _ body: String? = nil) async throws -> TestResponse {
                let reply = try await world.admin(method, path ?? template, token: root, body: body)
                samples.append(["method": method, "path": template, "status": reply.status, "body": reply.body])
                return reply
            }
            let users = try await call("GET", "/admin/v1/users", "/admin/v1/users?query=ada")
            let adaID = try #require((try users.json()["users"] as? [[String: Any]])?.first?["id"] as? String)
            let kid = try #require((try await call("GET", "/admin/v1/keys").json()["keys"] as? [[String: Any]])?
                .first { $0["state"] as? String == "active" }?["kid"] as? String)
            let period = #""status":"active","period_start":"2026-01-01T00:00:00Z""#
            let calls: [(String, String, String?, String?)] = [
                ("GET", "/admin/v1/me", nil, nil),
                ("GET", "/admin/v1/catalog", nil, nil),
                ("POST", "/admin/v1/catalog/{kind}", "/admin/v1/catalog/modules", #"{"key":"venue","name":"Venue"}"#),
                ("PUT", "/admin/v1/catalog/{kind}/{key}", "/admin/v1/catalog/modules/venue", #"{"name":"Venues","expected_version":1}"#),
                ("POST", "/admin/v1/catalog/{kind}/{key}/retire", "/admin/v1/catalog/modules/venue/retire", #"{"reason":"unused","confirm":"venue","expected_version":2}"#),
                ("POST", "/admin/v1/companies", nil, #"{"slug":"newco","name":"New Co"}"#),
                ("GET", "/admin/v1/companies", "/admin/v1/companies?query=ac", nil),
                ("GET", "/admin/v1/companies/{company}", "/admin/v1/companies/acme", nil),
                ("PUT", "/admin/v1/companies/{company}/subscription", "/admin/v1/companies/acme/subscription", #"{"package_key":"basic",\#(period)}"#),
                ("PUT", "/admin/v1/companies/{company}/addons/{addon}", "/admin/v1/companies/acme/addons/finance_addon", "{\(period)}"),
                ("DELETE", "/admin/v1/companies/{company}/addons/{addon}", "/admin/v1/companies/acme/addons/finance_addon", #"{"reason":"x"}"#),
                ("POST", "/admin/v1/companies/{company}/subscription/cancel", "/admin/v1/companies/acme/subscription/cancel",
                 #"{"reason":"x","confirm":"acme"}"#),
                ("POST", "/admin/v1/companies/{company}/status", "/admin/v1/companies/acme/status", #"{"status":"approved"}"#),
                ("GET", "/admin/v1/users/{user}", "/admin/v1/users/\(adaID)", nil),
                ("POST", "/admin/v1/access/invalidate", nil, #"{"user_id":"\#(adaID)"}"#),
                ("POST", "/admin/v1/access/explain", nil, #"{"user_id":"\#(adaID)","company":"acme","module":"finance"}"#),
                ("POST", "/admin/v1/access/explain", nil, #"{"email":"ada@acme.test","company":"acme","module":"finance","permission":"finance.write"}"#),
                ("POST", "/admin/v1/sessions/{session}/revoke", "/admin/v1/sessions/\(ada.session)/revoke", "{}"),
                ("POST", "/admin/v1/users/{user}/sessions/revoke-all", "/admin/v1/users/\(adaID)/sessions/revoke-all",
                 #"{"reason":"x","confirm":"ada@acme.test"}"#),
                ("PUT", "/admin/v1/users/{user}/platform-roles", "/admin/v1/users/\(adaID)/platform-roles", #"{"platform_roles":[]}"#),
                ("POST", "/admin/v1/users/{user}/status", "/admin/v1/users/\(adaID)/status", #"{"status":"active"}"#),
                ("POST", "/admin/v1/keys/rotate", nil, #"{"reason":"routine"}"#),
                ("GET", "/admin/v1/operations/overview", nil, nil),
                ("GET", "/admin/v1/audit", "/admin/v1/audit?limit=5", nil),
            ]
            for (method, template, path, body) in calls {
                let reply = try await call(method, template, path, body)
                #expect((200..<300).contains(reply.status), "\(method) \(template): \(reply.status) \(reply.body)")
            }
            try await recordMemberships(world, adaID: adaID, call)
            _ = kid
            _ = try await call("POST", "/admin/v1/keys/rotate", nil, #"{"emergency":true}"#)  // an error answer is documented too

            let served = try await TestHTTP.get(world.admin.managementURL + "/openapi.yaml")
            let check = try await APIDocumentCheck.run(document: served.body, samples: samples)
            #expect(check.status == 0, "\(check.output)")
            let infrastructure: Set<String> = ["/health", "/ready", "/metrics", "/openapi.yaml"]
            let routed = APIDocumentCheck.normalise(world.admin.publicRoutes + world.admin.managementRoutes)
                .filter { route in !infrastructure.contains(String(route.split(separator: " ").last ?? "")) }
            #expect(check.documented == routed, "documented only: \(check.documented.subtracting(routed)); routed only: \(routed.subtracting(check.documented))")
        }
    }

    /// Samples of the membership, role and delegation routes.
    func recordMemberships(_ world: PlatformWorld, adaID: String,
                           _ call: (String, String, String?, String?) async throws -> TestResponse) async throws {
        let bob = try await call("POST", "/admin/v1/users", nil, #"{"email":"bob@acme.test","password":"bob-password-1"}"#)
        let bobID = try #require(try bob.json()["id"] as? String)
        let created = try await call("POST", "/admin/v1/memberships", nil,
                                     #"{"user_id":"\#(bobID)","company_id":"\#(world.company)","roles":[],"modules":["finance"]}"#)
        let bobMembership = try #require(try created.json()["id"] as? String)
        let ada = try await call("GET", "/admin/v1/users/{user}", "/admin/v1/users/\(adaID)", nil)
        let adaMembership = try #require((try ada.json()["memberships"] as? [[String: Any]])?.first?["membership_id"] as? String)
        let expires = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
        let steps: [(String, String, String?, String?)] = [
            ("POST", "/admin/v1/companies/{company}/roles", "/admin/v1/companies/acme/roles", #"{"key":"clerk","name":"Clerk","permissions":["finance.read"]}"#),
            ("PUT", "/admin/v1/companies/{company}/roles/{key}", "/admin/v1/companies/acme/roles/clerk", #"{"permissions":["finance.read","finance.write"]}"#),
            ("GET", "/admin/v1/companies/{company}/roles", "/admin/v1/companies/acme/roles", nil),
            ("PUT", "/admin/v1/memberships/{membership}/roles", "/admin/v1/memberships/\(bobMembership)/roles", #"{"roles":["clerk"]}"#),
            ("PUT", "/admin/v1/memberships/{membership}/modules", "/admin/v1/memberships/\(bobMembership)/modules", #"{"modules":["finance","core_app"]}"#),
            ("POST", "/admin/v1/memberships/{membership}/status", "/admin/v1/memberships/\(bobMembership)/status", #"{"status":"active"}"#),
            ("GET", "/admin/v1/memberships/{membership}", "/admin/v1/memberships/\(bobMembership)", nil),
        ]
        for (method, template, path, body) in steps {
            let reply = try await call(method, template, path, body)
            #expect((200..<300).contains(reply.status), "\(method) \(template): \(reply.status) \(reply.body)")
        }
        let delegation = try await call("POST", "/admin/v1/delegations", nil, """
            {"from_membership_id":"\(adaMembership)","to_membership_id":"\(bobMembership)","permissions":["finance.read"],"expires_at":"\(expires)"}
            """)
        #expect(delegation.status == 201, "\(delegation.body)")
        let id = try #require(try delegation.json()["id"] as? String)
        #expect(try await call("POST", "/admin/v1/delegations/{delegation}/revoke", "/admin/v1/delegations/\(id)/revoke", "{}").status == 200)
        #expect(try await call("PUT", "/admin/v1/memberships/{membership}/roles", "/admin/v1/memberships/\(bobMembership)/roles",
                               #"{"roles":[]}"#).status == 200)
        #expect(try await call("DELETE", "/admin/v1/companies/{company}/roles/{key}", "/admin/v1/companies/acme/roles/clerk", nil).status == 204)
    }
}
