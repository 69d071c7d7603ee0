import AuthService
import Foundation
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PlatformTesting
import Testing

@Suite struct PasswordTests {
    func post(_ auth: AuthHarness, _ path: String, _ body: String, bearer: String? = nil) async throws -> TestResponse {
        var headers = [("content-type", "application/json")]
        if let bearer { headers.append(("authorization", "Bearer \(bearer)")) }
        return try await TestHTTP.send("POST", auth.daemon.publicURL! + path, headers: headers, body: body)
    }

    func login(_ auth: AuthHarness, _ password: String) async throws -> TestResponse {
        try await post(auth, "/auth/login", #"{"email":"pat@example.com","password":"\#(password)"}"#)
    }

    func messages(_ auth: AuthHarness) async throws -> [String] {
        try await LibPQConnection.run { [database = auth.database] in
            try LibPQConnection(settings: database.admin).execute("SELECT body FROM outgoing_messages ORDER BY id")
        }.compactMap { $0[0] }
    }

    func setUp() async throws -> AuthHarness {
        let auth = try await AuthHarness.start()
        #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
        let created = try await auth.call("POST", "/internal/v1/users", body: #"{"email":"pat@example.com","password":"first-password"}"#)
        #expect(created.status == 200)
        return auth
    }

    @Test func resetByTokenEndsEverySessionAndTheTokenWorksOnce() async throws {
        let auth = try await setUp()
        defer { Task { try? await auth.stop() } }
        let session = try await login(auth, "first-password").json()

        #expect(try await post(auth, "/auth/password-reset/request", #"{"email":"nobody@example.com"}"#).status == 202)
        #expect(try await messages(auth).isEmpty)
        #expect(try await post(auth, "/auth/password-reset/request", #"{"email":"PAT@example.com"}"#).status == 202)
        let token = try #require(try await messages(auth).first)
        #expect(token.hasPrefix("pr_"))

        #expect(try await post(auth, "/auth/password-reset/confirm", #"{"token":"\#(token)","new_password":"short"}"#).status == 422)
        let confirmed = try await post(auth, "/auth/password-reset/confirm", #"{"token":"\#(token)","new_password":"second-password"}"#)
        #expect(confirmed.status == 200)
        #expect(try confirmed.json()["revoked_sessions"] as? Int == 1)
        let again = try await post(auth, "/auth/password-reset/confirm", #"{"token":"\#(token)","new_password":"third-password"}"#)
        #expect(again.errorCode == "invalid_reset_token")

        #expect(try await login(auth, "first-password").status == 401)
        #expect(try await login(auth, "second-password").status == 200)
        let old = try await TestHTTP.get(auth.daemon.publicURL! + "/auth/sessions",
                                         headers: [("authorization", "Bearer \(session["access_token"] as! String)")])
        #expect(old.status == 401)
        #expect(!auth.logs.lines.contains { $0.contains(token) })
    }

    @Test func changingThePasswordNeedsTheCurrentOneAndEndsOtherSessions() async throws {
        let auth = try await setUp()
        defer { Task { try? await auth.stop() } }
        let current = try await login(auth, "first-password").json()["access_token"] as! String
        let other = try await login(auth, "first-password").json()["access_token"] as! String
        let wrong = try await post(auth, "/auth/password/change", #"{"current_password":"nope","new_password":"second-password"}"#, bearer: current)
        #expect(wrong.status == 401)
        let changed = try await post(auth, "/auth/password/change",
                                     #"{"current_password":"first-password","new_password":"second-password"}"#, bearer: current)
        #expect(changed.status == 204)
        #expect(try await TestHTTP.get(auth.daemon.publicURL! + "/auth/sessions", headers: [("authorization", "Bearer \(current)")]).status == 200)
        #expect(try await TestHTTP.get(auth.daemon.publicURL! + "/auth/sessions", headers: [("authorization", "Bearer \(other)")]).status == 401)
        #expect(try await login(auth, "second-password").status == 200)
    }
}
