import AccessControl
import AuthService
import Foundation
import JWTKit
import PlatformDaemon
import PlatformPostgres
import PlatformTesting
import Testing
import ServiceWorlds

@Suite struct SessionTests {
    /// A user row with an Argon2id hash (made with `parameters`).
    func createUser(_ auth: AuthHarness, email: String, password: String, status: String = "active",
                    parameters: PasswordHasher.Parameters = .init(memoryKiB: 8192, iterations: 1)) async throws -> UUID {
        let id = UUID()
        let hash = try await PasswordHasher(parameters: parameters).hash(password)
        _ = try await LibPQConnection.run { [database = auth.database] in
            try LibPQConnection(settings: database.admin).execute(
                "INSERT INTO users (id, email, password_hash, status) VALUES ($1, $2, $3, $4)",
                parameters: [id.uuidString, email, hash, status])
        }
        return id
    }

    func login(_ auth: AuthHarness, _ email: String, _ password: String) async throws -> TestResponse {
        try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/login", headers: [("content-type", "application/json")],
                                body: #"{"email":"\#(email)","password":"\#(password)"}"#)
    }

    func refresh(_ auth: AuthHarness, _ token: String) async throws -> TestResponse {
        try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/refresh", headers: [("content-type", "application/json")],
                                body: #"{"refresh_token":"\#(token)"}"#)
    }

    func sessions(_ auth: AuthHarness, _ access: String) async throws -> TestResponse {
        try await TestHTTP.get(auth.daemon.publicURL! + "/auth/sessions", headers: [("authorization", "Bearer \(access)")])
    }

    func ready(_ auth: AuthHarness) async throws {
        #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
    }

    @Test func loginIssuesSmallTokensAndFailuresLookTheSame() async throws {
        try await AuthHarness.with(["ACCESS_TOKEN_TTL": "15m"]) { auth in
            try await ready(auth)
            let user = try await createUser(auth, email: "Ada@Example.com", password: "s3cret-pass")
            _ = try await createUser(auth, email: "off@example.com", password: "s3cret-pass", status: "disabled")

            let ok = try await login(auth, "ada@example.com", "s3cret-pass")  // email is case-insensitive
            #expect(ok.status == 200, "\(ok.body)")
            let body = try ok.json()
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["expires_in"] as? Int == 900)
            #expect((body["refresh_token"] as? String)?.hasPrefix("rt_") == true)
            let access = try #require(body["access_token"] as? String)
            let claims = try await auth.verifyWithJWKS(access)
            #expect(claims.sub.value == user.uuidString.lowercased())
            #expect(claims.sid == (body["session_id"] as? String)?.lowercased())
            // Identity only: nothing about roles, permissions or modules.
            let payload = String(access.split(separator: ".")[1])
            #expect(!payload.isEmpty)
            for word in ["role", "perm", "module"] { #expect(!(decodeSegment(payload)?.contains(word) ?? true)) }

            for (email, password) in [("ada@example.com", "wrong"), ("nobody@example.com", "s3cret-pass"), ("off@example.com", "s3cret-pass")] {
                let failed = try await login(auth, email, password)
                #expect(failed.status == 401)
                #expect(failed.errorCode == "invalid_credentials")
                #expect((try failed.json()["error"] as? [String: Any])?["message"] as? String == "Email or password is wrong.")
            }
            let metrics = try await TestHTTP.get(auth.daemon.managementURL + "/metrics").body
            #expect(metricValue(metrics, #"kisum_auth_logins_total{outcome="failure"}"#) == 3)
            #expect(metricValue(metrics, #"kisum_auth_logins_total{outcome="success"}"#) == 1)
        }
    }

    @Test func refreshRotatesAndReuseEndsTheSession() async throws {
        try await AuthHarness.with { auth in
            try await ready(auth)
            _ = try await createUser(auth, email: "bob@example.com", password: "pw-pw-pw")
            let first = try await login(auth, "bob@example.com", "pw-pw-pw").json()
            let r1 = try #require(first["refresh_token"] as? String)

            let second = try await refresh(auth, r1)
            #expect(second.status == 200)
            let r2 = try #require(try second.json()["refresh_token"] as? String)
            let access2 = try #require(try second.json()["access_token"] as? String)
            #expect(r2 != r1)
            #expect(try await sessions(auth, access2).status == 200)

            // r1 again: reuse. The whole session ends, including the newest tokens.
            let reuse = try await refresh(auth, r1)
            #expect(reuse.status == 401)
            #expect(reuse.errorCode == "invalid_refresh_token")
            #expect(try await refresh(auth, r2).status == 401)
            let refused = try await sessions(auth, access2)
            #expect(refused.status == 401)
            #expect(refused.errorCode == "session_revoked")
            #expect(try await refresh(auth, "rt_forged").status == 401)
            let metrics = try await TestHTTP.get(auth.daemon.managementURL + "/metrics").body
            #expect(metricValue(metrics, #"kisum_auth_refreshes_total{outcome="reuse"}"#) == 1)
        }
    }

    @Test func logoutLogoutAllAndRevokingOneSession() async throws {
        try await AuthHarness.with { auth in
            try await ready(auth)
            _ = try await createUser(auth, email: "cy@example.com", password: "pw-pw-pw")
            _ = try await createUser(auth, email: "di@example.com", password: "pw-pw-pw")
            var tokens: [[String: Any]] = []
            for _ in 0..<3 { tokens.append(try await login(auth, "cy@example.com", "pw-pw-pw").json()) }
            let other = try await login(auth, "di@example.com", "pw-pw-pw").json()
            let access = tokens.map { $0["access_token"] as! String }

            let listed = try await sessions(auth, access[0]).json()
            #expect((listed["sessions"] as? [[String: Any]])?.count == 3)

            // Someone else's session cannot be revoked through my token.
            let foreign = try #require(other["session_id"] as? String)
            let denied = try await TestHTTP.send("DELETE", auth.daemon.publicURL! + "/auth/sessions/\(foreign)",
                                                 headers: [("authorization", "Bearer \(access[0])")])
            #expect(denied.status == 404)
            let mine = try #require(tokens[2]["session_id"] as? String)
            let revoked = try await TestHTTP.send("DELETE", auth.daemon.publicURL! + "/auth/sessions/\(mine)",
                                                  headers: [("authorization", "Bearer \(access[0])")])
            #expect(revoked.status == 204)
            #expect(try await sessions(auth, access[2]).status == 401)

            let logout = try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/logout", headers: [("authorization", "Bearer \(access[1])")])
            #expect(logout.status == 204)
            #expect(try await sessions(auth, access[1]).status == 401)
            #expect(try await refresh(auth, tokens[1]["refresh_token"] as! String).status == 401)

            let all = try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/logout-all", headers: [("authorization", "Bearer \(access[0])")])
            #expect(try all.json()["revoked_sessions"] as? Int == 1, "\(all.status) \(all.body)")
            #expect(try await sessions(auth, access[0]).status == 401)
            // The other user is untouched.
            #expect(try await sessions(auth, other["access_token"] as! String).status == 200)
            #expect(try await TestHTTP.get(auth.daemon.publicURL! + "/auth/sessions").status == 401)
        }
    }

    @Test func hashesAreUpgradedOnTheNextSuccessfulLogin() async throws {
        try await AuthHarness.with { auth in
            try await ready(auth)
            let id = try await createUser(auth, email: "eve@example.com", password: "pw-pw-pw",
                                          parameters: .init(memoryKiB: 8192, iterations: 2))
            #expect(try await login(auth, "eve@example.com", "pw-pw-pw").status == 200)
            let stored = try await LibPQConnection.run { [database = auth.database] in
                try LibPQConnection(settings: database.admin).execute("SELECT password_hash FROM users WHERE id = $1", parameters: [id.uuidString])
            }
            #expect(stored.first?[0]?.hasPrefix("$argon2id$v=19$m=8192,t=1,p=1$") == true)
            #expect(try await login(auth, "eve@example.com", "pw-pw-pw").status == 200)
        }
    }
}

func decodeSegment(_ segment: String) -> String? {
    var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    return Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }
}
