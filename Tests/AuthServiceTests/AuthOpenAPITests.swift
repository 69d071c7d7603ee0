import Foundation
import PlatformDaemon
import PlatformTesting
import Testing

/// Auth's API document, as served, matches the routes of both listeners, and real responses
/// match the documented schemas.
@Suite struct AuthOpenAPITests {
    @Test func documentMatchesTheRunningService() async throws {
        let auth = try await AuthHarness.start()
        defer { Task { try? await auth.stop() } }
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
        record("POST", "/internal/v1/memberships", try await auth.call("POST", "/internal/v1/memberships",
               body: #"{"user_id":"\#(userID)","company_id":"\#(companyID)","roles":["viewer"],"modules":[]}"#))
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
        #expect(samples.filter { ($0["status"] as? Int) == 200 }.count >= 14)

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
