import AuthService
import Foundation
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PlatformTesting
import Testing
import ServiceWorlds

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

    /// An Auth with pat@example.com for `body`; stopped afterwards, also when setting up fails.
    @discardableResult
    func setUp<Value>(_ environment: [String: String] = [:], _ body: (AuthHarness) async throws -> Value) async throws -> Value {
        try await AuthHarness.with(environment) { auth in
            #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
            let created = try await auth.call("POST", "/internal/v1/users", body: #"{"email":"pat@example.com","password":"first-password"}"#)
            #expect(created.status == 200)
            return try await body(auth)
        }
    }

    @Test func resetByTokenEndsEverySessionAndTheTokenWorksOnce() async throws {
        try await setUp { auth in
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
    }

    @Test func changingThePasswordNeedsTheCurrentOneAndEndsOtherSessions() async throws {
        try await setUp { auth in
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

    @Test func resetConfirmationIsThrottledPerClient() async throws {
        try await setUp(["LOGIN_RATE_LIMIT_PER_IP": "3", "TRUST_FORWARDED_FOR": "true"]) { auth in
            let client = [("content-type", "application/json"), ("x-forwarded-for", "203.0.113.\(Int.random(in: 1...254))")]
            var statuses: [Int] = []
            for _ in 0..<4 {
                statuses.append(try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/password-reset/confirm", headers: client,
                                                        body: #"{"token":"pr_\#(UUID())","new_password":"long-enough-pw"}"#).status)
            }
            #expect(statuses == [400, 400, 400, 429])
        }
    }

    @Test func aWrongResetTokenCostsNoPasswordHash() async throws {
        // An expensive hash makes "hashed or not" visible: a wrong password (one verify) against
        // a wrong reset token (before the fix: one full hash, then the token lookup).
        try await setUp(["PASSWORD_ARGON2_MEMORY_KIB": "131072", "PASSWORD_ARGON2_ITERATIONS": "6"]) { auth in
            let wrongPassword = ContinuousClock.now
            #expect(try await login(auth, "not-the-password").status == 401)
            let oneHash = ContinuousClock.now - wrongPassword
            let wrongToken = ContinuousClock.now
            let reply = try await post(auth, "/auth/password-reset/confirm", #"{"token":"pr_\#(UUID())","new_password":"long-enough-pw"}"#)
            let confirm = ContinuousClock.now - wrongToken
            #expect(reply.errorCode == "invalid_reset_token")
            #expect(confirm * 2 < oneHash, "a wrong token took \(confirm), one hash \(oneHash)")
        }
    }

    @Test func guessingTheCurrentPasswordIsThrottled() async throws {
        try await setUp(["LOGIN_RATE_LIMIT_PER_EMAIL": "5"]) { auth in
            let access = try #require(try await login(auth, "first-password").json()["access_token"] as? String)
            var statuses: [Int] = []
            for _ in 0..<6 {
                statuses.append(try await post(auth, "/auth/password/change",
                                               #"{"current_password":"guess-\#(UUID())","new_password":"second-password"}"#, bearer: access).status)
            }
            #expect(statuses == [401, 401, 401, 401, 401, 429])
        }
    }

    @Test func usingOneResetLinkEndsTheOthers() async throws {
        try await setUp { auth in
            for _ in 0..<2 { #expect(try await post(auth, "/auth/password-reset/request", #"{"email":"pat@example.com"}"#).status == 202) }
            let tokens = try await messages(auth)
            try #require(tokens.count == 2)
            #expect(try await post(auth, "/auth/password-reset/confirm", #"{"token":"\#(tokens[1])","new_password":"second-password"}"#).status == 200)
            let stale = try await post(auth, "/auth/password-reset/confirm", #"{"token":"\#(tokens[0])","new_password":"third-password"}"#)
            #expect(stale.errorCode == "invalid_reset_token")
            // A change ends outstanding links too.
            #expect(try await post(auth, "/auth/password-reset/request", #"{"email":"pat@example.com"}"#).status == 202)
            let pending = try #require(try await messages(auth).last)
            let access = try #require(try await login(auth, "second-password").json()["access_token"] as? String)
            #expect(try await post(auth, "/auth/password/change", #"{"current_password":"second-password","new_password":"fourth-password"}"#,
                                   bearer: access).status == 204)
            #expect(try await post(auth, "/auth/password-reset/confirm", #"{"token":"\#(pending)","new_password":"fifth-password"}"#)
                .errorCode == "invalid_reset_token")
        }
    }

    @Test func aSignInRacingADisableLeavesNoLiveSession() async throws {
        try await setUp { auth in
            let user = try #require(try await auth.database.rows("SELECT id FROM users WHERE email = 'pat@example.com'").first?[0])
            // The disable holds the user row while the sign-in verifies the password; the sign-in's
            // session insert then finds the user disabled (before: a live session was left behind).
            let disable = Task {
                try await onDedicatedThread { [admin = auth.database.admin] in
                    let connection = try LibPQConnection(settings: admin)
                    _ = try connection.execute("BEGIN")
                    _ = try connection.execute("UPDATE users SET status = 'disabled' WHERE id = $1", parameters: [user])
                    Thread.sleep(forTimeInterval: 2.0)
                    _ = try connection.execute("UPDATE sessions SET revoked_at = now(), revoke_reason = 'user_disabled' WHERE user_id = $1 AND revoked_at IS NULL",
                                               parameters: [user])
                    _ = try connection.execute("COMMIT")
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            let signIn = try await login(auth, "first-password")
            try await disable.value
            #expect(signIn.status == 401, "\(signIn.body)")
            #expect(try await auth.database.rows("SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL", [user]).first?[0] == "0")
        }
    }
}
