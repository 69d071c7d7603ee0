import AuthService
import Foundation
import PlatformDaemon
import PlatformPostgres
import PlatformTesting
import Testing
import ServiceWorlds

/// Roles, grants, delegations, user status and look-ups through Auth's internal routes, each
/// change visible in `/auth/me/access` on the next request and audited with its actor.
@Suite struct AdministrationTests {
    let actor = [("x-kisum-acting-user", "ops@kisum.test")]

    func permissions(_ world: AccessTests.World) async throws -> [String] {
        let reply = try await world.me("acme")
        guard reply.status == 200 else { throw TestFailure("me/access: \(reply.status) \(reply.body)") }
        return try reply.json()["permissions"] as? [String] ?? []
    }

    func json(_ method: String, _ path: String, _ body: String, _ world: AccessTests.World) async throws -> TestResponse {
        try await world.auth.call(method, path, body: body, headers: actor)
    }

    @Test func customRolesAndGrantsChangeAccessAtOnce() async throws {
        try await AccessTests().world { world in
            let roles = "/internal/v1/companies/\(world.company)/roles"
            let create = try await json("POST", roles, #"{"key":"auditor","name":"Auditor","permissions":["finance.invoices.read","finance.reports.read"]}"#, world)
            #expect(create.status == 201, "\(create.body)")
            #expect(try await json("POST", roles, #"{"key":"auditor","name":"Again","permissions":[]}"#, world).status == 409)
            let system = try await json("POST", roles, #"{"key":"owner","name":"Mine","permissions":[]}"#, world)
            #expect(system.status == 409 && system.body.contains("system_role"))
            #expect(try await json("POST", roles, #"{"key":"bad","name":"Bad","permissions":["no-module"]}"#, world).status == 422)
            let listed = try await world.auth.call("GET", roles)
            #expect((try listed.json()["roles"] as? [[String: Any]])?.compactMap { $0["key"] as? String }.contains("auditor") == true)

            let membership = "/internal/v1/memberships/\(world.membership)"
            #expect(try await permissions(world) == ["core_app.projects.read", "finance.invoices.read"])
            #expect(try await json("PUT", membership + "/roles", #"{"roles":["auditor"],"reason":"audit season"}"#, world).status == 200)
            #expect(try await permissions(world) == ["finance.invoices.read", "finance.reports.read"])
            #expect(try await json("PUT", membership + "/roles", #"{"roles":["emperor"]}"#, world).status == 422)
            #expect(try await permissions(world) == ["finance.invoices.read", "finance.reports.read"])  // the failed change left nothing behind

            #expect(try await json("PUT", roles + "/auditor", #"{"permissions":["finance.reports.read","core_app.projects.read"]}"#, world).status == 200)
            #expect(try await permissions(world) == ["core_app.projects.read", "finance.reports.read"])
            #expect(try await json("PUT", roles + "/owner", #"{"permissions":[]}"#, world).status == 409)
            #expect(try await json("DELETE", roles + "/auditor", "", world).status == 409)  // still held

            let grants = try await json("PUT", membership + "/modules", #"{"modules":["core_app"]}"#, world)
            #expect(grants.status == 200)
            #expect(try grants.json()["modules"] as? [String] == ["core_app"])
            #expect(try await permissions(world) == ["core_app.projects.read"])
            #expect(try await json("PUT", membership + "/modules", #"{"modules":["Not A Module"]}"#, world).status == 422)

            #expect(try await json("POST", membership + "/status", #"{"status":"inactive","reason":"left"}"#, world).status == 200)
            #expect(try await world.me("acme").status == 403)
            #expect(try await world.me("acme").status == 403)  // refused again: counted, audited once a minute
            let rows = try await world.auth.database.rows("""
                SELECT actor, action, details->>'before', details->>'after', details->>'reason' FROM audit_events
                WHERE action LIKE 'membership_%' OR action LIKE 'role_%' ORDER BY id
                """)
            #expect(rows.map { $0[1] } == ["role_create", "membership_roles", "role_update", "membership_grants", "membership_status"])
            #expect(rows.allSatisfy { $0[0] == "admin:ops@kisum.test" })
            #expect(rows[1][2] == "reader" && rows[1][3] == "auditor" && rows[1][4] == "audit season")
            let denied = try await world.auth.database.rows("SELECT outcome FROM audit_events WHERE action = 'access_denied'")
            #expect(denied.map { $0[0] } == ["access_inactive"])
            let metrics = try await TestHTTP.get(world.auth.daemon.managementURL + "/metrics").body
            #expect(metricValue(metrics, #"kisum_auth_access_denials_total{reason="access_inactive"}"#) == 2)
        }
    }

    @Test func delegationsLendOnlyWhatTheDelegatorHoldsAndEndWhenRevoked() async throws {
        try await AccessTests().world { world in
            let bob = try #require(try await json("POST", "/internal/v1/users", #"{"email":"bob@acme.test","password":"bob-password-1"}"#, world)
                .json()["id"] as? String)
            let bobMembership = try #require(try await json("POST", "/internal/v1/memberships",
                #"{"user_id":"\#(bob)","company_id":"\#(world.company)","roles":[],"modules":["core_app","finance"]}"#, world).json()["id"] as? String)
            let login = try await TestHTTP.send("POST", world.auth.daemon.publicURL! + "/auth/login", headers: [("content-type", "application/json")],
                                                body: #"{"email":"bob@acme.test","password":"bob-password-1"}"#)
            let bobWorld = AccessTests.World(auth: world.auth, core: world.core, admin: world.admin, company: world.company, user: UUID(),
                                             membership: UUID(), access: try #require(try login.json()["access_token"] as? String))
            #expect(try await permissions(bobWorld) == [])

            let expires = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
            let notHeld = try await json("POST", "/internal/v1/delegations", """
                {"from_membership_id":"\(world.membership)","to_membership_id":"\(bobMembership)","permissions":["finance.invoices.write"],"expires_at":"\(expires)"}
                """, world)
            #expect(notHeld.status == 422 && notHeld.body.contains("permission_not_delegable"))
            let past = try await json("POST", "/internal/v1/delegations", """
                {"from_membership_id":"\(world.membership)","to_membership_id":"\(bobMembership)","permissions":["finance.invoices.read"],"expires_at":"2020-01-01T00:00:00Z"}
                """, world)
            #expect(past.status == 422)
            let created = try await json("POST", "/internal/v1/delegations", """
                {"from_membership_id":"\(world.membership)","to_membership_id":"\(bobMembership)","permissions":["finance.invoices.read"],"expires_at":"\(expires)","reason":"cover"}
                """, world)
            #expect(created.status == 201, "\(created.body)")
            let delegation = try #require(try created.json()["id"] as? String)
            #expect(try await permissions(bobWorld) == ["finance.invoices.read"])
            let detail = try await world.auth.call("GET", "/internal/v1/memberships/\(bobMembership)")
            #expect((try detail.json()["delegations_received"] as? [[String: Any]])?.count == 1)

            // The delegator loses the permission: so does the delegate, at once.
            #expect(try await json("PUT", "/internal/v1/memberships/\(world.membership)/roles", #"{"roles":["viewer"]}"#, world).status == 200)
            #expect(try await permissions(bobWorld) == [])
            #expect(try await json("PUT", "/internal/v1/memberships/\(world.membership)/roles", #"{"roles":["reader"]}"#, world).status == 200)
            #expect(try await permissions(bobWorld) == ["finance.invoices.read"])

            #expect(try await json("POST", "/internal/v1/delegations/\(delegation)/revoke", #"{"reason":"back"}"#, world).status == 200)
            #expect(try await permissions(bobWorld) == [])
            #expect(try await json("POST", "/internal/v1/delegations/\(delegation)/revoke", #"{}"#, world).status == 404)
        }
    }

    @Test func lookUpUsersAndCompaniesAndDisableAUser() async throws {
        try await AccessTests().world { world in
            let byEmail = try await world.auth.call("GET", "/internal/v1/users?email=ADA@acme.test")
            let users = try #require(try byEmail.json()["users"] as? [[String: Any]])
            #expect(users.count == 1 && users.first?["id"] as? String == world.user.uuidString.lowercased())  // canonical lower case
            #expect((try await world.auth.call("GET", "/internal/v1/users?query=nobody").json()["users"] as? [Any])?.count == 0)
            let user = try await world.auth.call("GET", "/internal/v1/users/\(world.user)")
            #expect((try user.json()["memberships"] as? [[String: Any]])?.first?["company_slug"] as? String == "acme")
            #expect(try await world.auth.call("GET", "/internal/v1/users/\(UUID())").status == 404)
            let companies = try await world.auth.call("GET", "/internal/v1/companies?query=ACM&status=approved")
            #expect((try companies.json()["companies"] as? [[String: Any]])?.first?["members"] as? Int == 1)
            #expect(try await world.auth.call("GET", "/internal/v1/companies?status=sleepy").status == 422)
            #expect(try await world.auth.call("GET", "/internal/v1/companies/acme").status == 200)
            #expect(try await world.auth.call("GET", "/internal/v1/companies/\(world.company)").status == 200)

            let roles = try await json("PUT", "/internal/v1/users/\(world.user)/platform-roles", #"{"platform_roles":["platform_viewer"]}"#, world)
            #expect(roles.status == 200)
            #expect(try await json("PUT", "/internal/v1/users/\(world.user)/platform-roles", #"{"platform_roles":["root"]}"#, world).status == 422)
            #expect(try await json("POST", "/internal/v1/users/\(world.user)/status", #"{"status":"disabled","reason":"offboarded"}"#, world).status == 200)
            #expect(try await world.me("acme").status == 401)  // every session ended
            let login = try await TestHTTP.send("POST", world.auth.daemon.publicURL! + "/auth/login", headers: [("content-type", "application/json")],
                                                body: #"{"email":"ada@acme.test","password":"pw-pw-pw"}"#)
            #expect(login.status == 401)
            let metrics = try await TestHTTP.get(world.auth.daemon.managementURL + "/metrics").body
            #expect((metricValue(metrics, #"kisum_auth_revoked_session_usage_total{route="public"}"#) ?? 0) >= 1)
        }
    }
}
