import AuthService
import Foundation
import PlatformDaemon
import PlatformPostgres
import PlatformTesting
import Testing
import ServiceWorlds

@Suite struct IdentityAdminTests {
    @Test func adminCreatesUsersCompaniesAndMembershipsThatThenSignIn() async throws {
        try await AuthHarness.with { auth in
            #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
            let user = try await auth.call("POST", "/internal/v1/users", body: #"{"email":"new@x.test","password":"long-enough-pw"}"#)
            #expect(user.status == 200)
            let userID = try #require(try user.json()["id"] as? String)
            #expect(try await auth.call("POST", "/internal/v1/users", body: #"{"email":"NEW@x.test","password":"long-enough-pw"}"#).status == 409)
            #expect(try await auth.call("POST", "/internal/v1/users", body: #"{"email":"short@x.test","password":"short"}"#).status == 422)

            let company = try await auth.call("POST", "/internal/v1/companies", body: #"{"slug":"newco","name":"New Co","status":"approved"}"#)
            let companyID = try #require(try company.json()["id"] as? String)
            let badRole = try await auth.call("POST", "/internal/v1/memberships",
                                              body: #"{"user_id":"\#(userID)","company_id":"\#(companyID)","roles":["emperor"],"modules":[]}"#)
            #expect(badRole.status == 422)
            let unknownUser = try await auth.call("POST", "/internal/v1/memberships",
                                                  body: #"{"user_id":"\#(UUID())","company_id":"\#(companyID)","roles":["viewer"],"modules":[]}"#)
            #expect(unknownUser.status == 422)
            let membership = try await auth.call("POST", "/internal/v1/memberships",
                                                 body: #"{"user_id":"\#(userID)","company_id":"\#(companyID)","roles":["viewer"],"modules":["finance"]}"#)
            #expect(membership.status == 200, "\(membership.body)")
            // Only Admin administers identities.
            #expect(try await auth.call("POST", "/internal/v1/users", as: "finance", body: #"{"email":"f@x.test","password":"long-enough-pw"}"#).status == 403)

            let login = try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/login", headers: [("content-type", "application/json")],
                                                body: #"{"email":"new@x.test","password":"long-enough-pw"}"#)
            let access = try #require(try login.json()["access_token"] as? String)
            let me = try await TestHTTP.get(auth.daemon.publicURL! + "/auth/me", headers: [("authorization", "Bearer \(access)")])
            let memberships = try #require(try me.json()["memberships"] as? [[String: Any]])
            #expect(memberships.first?["company_slug"] as? String == "newco")
            #expect(memberships.first?["company_status"] as? String == "approved")

            let suspend = try await auth.call("POST", "/internal/v1/companies/\(companyID)/status", body: #"{"status":"suspended","reason":"test"}"#)
            #expect(suspend.status == 200)
            let after = try await TestHTTP.get(auth.daemon.publicURL! + "/auth/me", headers: [("authorization", "Bearer \(access)")])
            #expect((try after.json()["memberships"] as? [[String: Any]])?.first?["company_status"] as? String == "suspended")
            let audited = try await LibPQConnection.run { [database = auth.database] in
                try LibPQConnection(settings: database.admin).execute("SELECT action FROM audit_events WHERE actor = 'admin' ORDER BY id")
            }.compactMap { $0[0] }
            #expect(audited == ["user_create", "company_create", "membership_create", "company_status"])
        }
    }
}
