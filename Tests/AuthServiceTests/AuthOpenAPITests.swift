import Foundation
import PlatformDaemon
import PlatformTesting
import Testing
import ServiceWorlds

/// Auth's API document, as served, matches the routes of both listeners, and real responses
/// match the documented schemas.
@Suite struct AuthOpenAPITests {
    @Test func documentMatchesTheRunningService() async throws {
        try await AuthHarness.with { auth in
            #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
            var samples: [[String: Any]] = []
            func record(_ method: String, _ template: String, _ response: TestResponse) {
                samples.append(["method": method, "path": template, "status": response.status, "body": response.body])
            }
            let base = auth.daemon.publicURL!
            func post(_ path: String, _ body: String, bearer: String? = nil) async throws -> TestResponse {
                var headers = [("content-type", "application/json")]
                if let bearer { headers.append(("authorization", "Bearer \(bearer)")) }
                let response = try await TestHTTP.send("POST", base + path, headers: headers, body: body)
                record("POST", path, response)
                return response
            }
            let user = try await auth.call("POST", "/internal/v1/users", body: #"{"email":"doc@x.test","password":"long-enough-pw"}"#)
            record("POST", "/internal/v1/users", user)
            let userID = try #require(try user.json()["id"] as? String)
            let company = try await auth.call("POST", "/internal/v1/companies", body: #"{"slug":"docs","name":"Docs","status":"approved"}"#)
            record("POST", "/internal/v1/companies", company)
            let companyID = try #require(try company.json()["id"] as? String)
            let membership = try await auth.call("POST", "/internal/v1/memberships",
                                                 body: #"{"user_id":"\#(userID)","company_id":"\#(companyID)","roles":["viewer"],"modules":[]}"#)
            record("POST", "/internal/v1/memberships", membership)
            try await recordAdministration(auth, user: userID, company: companyID,
                                           membership: try #require(try membership.json()["id"] as? String), record)
            let tokens = try await post("/auth/login", #"{"email":"doc@x.test","password":"long-enough-pw"}"#).json()
            let access = try #require(tokens["access_token"] as? String)
            _ = try await post("/auth/login", #"{"email":"doc@x.test","password":"wrong"}"#)
            let refreshed = try await post("/auth/refresh", #"{"refresh_token":"\#(tokens["refresh_token"] as! String)"}"#).json()
            let fresh = try #require(refreshed["access_token"] as? String)
            for path in ["/auth/me", "/auth/sessions", "/.well-known/jwks.json"] {
                record("GET", path, try await TestHTTP.get(base + path, headers: [("authorization", "Bearer \(fresh)")]))
            }
            _ = access
            record("GET", "/internal/v1/keys", try await auth.call("GET", "/internal/v1/keys"))
            let sessionID = try #require(refreshed["session_id"] as? String)
            record("POST", "/internal/v1/admin-context", try await auth.call("POST", "/internal/v1/admin-context",
                   body: #"{"session_id":"\#(sessionID)","user_id":"\#(userID)"}"#))
            record("GET", "/internal/v1/users/{user}/sessions", try await auth.call("GET", "/internal/v1/users/\(userID)/sessions"))
            record("POST", "/internal/v1/access/invalidate", try await auth.call("POST", "/internal/v1/access/invalidate", body: #"{"user_id":"\#(userID)"}"#))
            record("POST", "/internal/v1/access/explain", try await auth.call("POST", "/internal/v1/access/explain",
                   body: #"{"user_id":"\#(userID)","company":"docs","module":"finance"}"#))
            record("POST", "/internal/v1/access-context", try await auth.call("POST", "/internal/v1/access-context", as: "finance",
                   body: #"{"session_id":"\#(UUID())","user_id":"\#(userID)","company":"docs"}"#))
            record("POST", "/internal/v1/entitlements/invalidated", try await auth.call("POST", "/internal/v1/entitlements/invalidated", as: "core",
                   body: #"{"company_id":"\#(companyID)","entitlement_version":1}"#))
            _ = try await post("/auth/password-reset/request", #"{"email":"doc@x.test"}"#)
            _ = try await post("/auth/logout-all", "{}", bearer: fresh)
            #expect(samples.filter { ($0["status"] as? Int) == 200 }.count >= 24)

            let served = try await TestHTTP.get(auth.daemon.managementURL + "/openapi.yaml")
            let check = try await APIDocumentCheck.run(document: served.body, samples: samples)
            #expect(check.status == 0, "\(check.output)")

            let infrastructure: Set<String> = ["/health", "/ready", "/metrics", "/openapi.yaml"]
            let documented = check.documented
            let routed = APIDocumentCheck.normalise(auth.daemon.publicRoutes + auth.daemon.managementRoutes)
                .filter { route in !infrastructure.contains(String(route.split(separator: " ").last ?? "")) }
            #expect(documented == routed, "documented only: \(documented.subtracting(routed)); routed only: \(routed.subtracting(documented))")
        }
    }

    /// Samples of the administration routes, in an order that leaves the user signed-in-able.
    func recordAdministration(_ auth: AuthHarness, user: String, company: String, membership: String,
                              _ record: (String, String, TestResponse) -> Void) async throws {
        let other = try await auth.call("POST", "/internal/v1/users", body: #"{"email":"other@x.test","password":"long-enough-pw"}"#)
        let otherID = try #require(try other.json()["id"] as? String)
        let otherMembership = try #require(try await auth.call("POST", "/internal/v1/memberships",
            body: #"{"user_id":"\#(otherID)","company_id":"\#(company)","roles":[],"modules":[]}"#).json()["id"] as? String)
        let calls: [(String, String, String, String?)] = [
            ("GET", "/internal/v1/users", "/internal/v1/users?query=doc", nil),
            ("GET", "/internal/v1/users/{user}", "/internal/v1/users/\(user)", nil),
            ("GET", "/internal/v1/companies", "/internal/v1/companies?query=doc&limit=1", nil),
            ("GET", "/internal/v1/companies/{company}", "/internal/v1/companies/docs", nil),
            ("POST", "/internal/v1/companies/{company}/roles", "/internal/v1/companies/\(company)/roles",
             #"{"key":"clerk","name":"Clerk","permissions":["finance.invoices.read"]}"#),
            ("PUT", "/internal/v1/companies/{company}/roles/{key}", "/internal/v1/companies/\(company)/roles/clerk",
             #"{"permissions":["finance.invoices.read","finance.invoices.write"]}"#),
            ("GET", "/internal/v1/companies/{company}/roles", "/internal/v1/companies/\(company)/roles", nil),
            ("PUT", "/internal/v1/memberships/{membership}/roles", "/internal/v1/memberships/\(membership)/roles",
             #"{"roles":["viewer","clerk"]}"#),
            ("PUT", "/internal/v1/memberships/{membership}/modules", "/internal/v1/memberships/\(membership)/modules",
             #"{"modules":["finance"]}"#),
            ("POST", "/internal/v1/memberships/{membership}/status", "/internal/v1/memberships/\(otherMembership)/status",
             #"{"status":"active"}"#),
            ("POST", "/internal/v1/users/{user}/status", "/internal/v1/users/\(otherID)/status", #"{"status":"disabled"}"#),
            ("PUT", "/internal/v1/users/{user}/platform-roles", "/internal/v1/users/\(otherID)/platform-roles",
             #"{"platform_roles":["platform_viewer"]}"#),
        ]
        for (method, template, path, body) in calls {
            record(method, template, try await auth.call(method, path, body: body))
        }
        let expires = ISO8601DateFormatter().string(from: Date().addingTimeInterval(600))
        let delegation = try await auth.call("POST", "/internal/v1/delegations", body: """
            {"from_membership_id":"\(membership)","to_membership_id":"\(otherMembership)","permissions":["finance.invoices.read"],"expires_at":"\(expires)"}
            """)
        record("POST", "/internal/v1/delegations", delegation)
        record("GET", "/internal/v1/memberships/{membership}", try await auth.call("GET", "/internal/v1/memberships/\(membership)"))
        let id = try #require(try delegation.json()["id"] as? String)
        record("POST", "/internal/v1/delegations/{delegation}/revoke",
               try await auth.call("POST", "/internal/v1/delegations/\(id)/revoke", body: "{}"))
        _ = try await auth.call("PUT", "/internal/v1/memberships/\(membership)/roles", body: #"{"roles":["viewer"]}"#)
        record("DELETE", "/internal/v1/companies/{company}/roles/{key}", try await auth.call("DELETE", "/internal/v1/companies/\(company)/roles/clerk"))
    }
}
