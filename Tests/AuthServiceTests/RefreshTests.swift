import AuthService
import Foundation
import PlatformDaemon
import PlatformPostgres
import PlatformTesting
import Testing
import ServiceWorlds

/// The refresh grace window (a lost response's retry gets the same successor) and refresh
/// throttling.
@Suite struct RefreshTests {
    let helpers = SessionTests()

    /// An Auth with a signed-in user, and that user's refresh token, for `body`; stopped afterwards,
    /// also when setting up fails.
    @discardableResult
    func start<Value>(_ environment: [String: String], _ body: (AuthHarness, String) async throws -> Value) async throws -> Value {
        try await AuthHarness.with(environment) { auth in
            try await helpers.ready(auth)
            _ = try await helpers.createUser(auth, email: "retry@example.com", password: "s3cret-pass")
            let login = try await helpers.login(auth, "retry@example.com", "s3cret-pass")
            return try await body(auth, try #require(try login.json()["refresh_token"] as? String))
        }
    }

    @Test func aRetryWithinTheGraceWindowGetsTheSameSuccessorAndReuseAfterItEndsTheSession() async throws {
        // A window wide enough for a loaded machine between the two calls.
        try await start(["REFRESH_GRACE_WINDOW": "10s"]) { auth, first in
            let a = try await helpers.refresh(auth, first)
            let successor = try #require(try a.json()["refresh_token"] as? String)
            // The response was "lost": the client retries with the same token.
            let b = try await helpers.refresh(auth, first)
            #expect(b.status == 200)
            #expect(try b.json()["refresh_token"] as? String == successor)
            let access = try #require(try b.json()["access_token"] as? String)
            #expect(try await helpers.sessions(auth, access).status == 200)

            // Once the successor is used, the old token is reuse even inside the window.
            let c = try await helpers.refresh(auth, successor)
            #expect(c.status == 200)
            let reused = try await helpers.refresh(auth, first)
            #expect(reused.status == 401)
            let audited = try await auth.database.rows("SELECT outcome FROM audit_events WHERE action = 'refresh' ORDER BY id")
            #expect(audited.map { $0[0] } == ["ok", "grace_retry", "ok"])
            #expect(try await helpers.sessions(auth, access).status == 401)
            let sealed = try await auth.database.rows("SELECT count(*) FROM refresh_tokens WHERE successor_sealed IS NOT NULL")
            #expect(sealed.first?[0] != "0")
        }
    }

    @Test func withoutAGraceWindowASecondUseIsReuse() async throws {
        try await start([:]) { auth, first in
            #expect(try await helpers.refresh(auth, first).status == 200)
            let again = try await helpers.refresh(auth, first)
            #expect(again.status == 401)
            #expect(again.body.contains("invalid_refresh_token"))
            // Nothing that could recreate a token is stored without a window.
            let sealed = try await auth.database.rows("SELECT count(*) FROM refresh_tokens WHERE successor_sealed IS NOT NULL")
            #expect(sealed.first?[0] == "0")
        }
    }

    @Test func theGraceWindowEnds() async throws {
        try await start(["REFRESH_GRACE_WINDOW": "1s"]) { auth, first in
            #expect(try await helpers.refresh(auth, first).status == 200)
            try await Task.sleep(for: .milliseconds(1_500))
            #expect(try await helpers.refresh(auth, first).status == 401)
        }
    }

    @Test func refreshIsThrottledPerClient() async throws {
        try await start(["REFRESH_RATE_LIMIT_PER_IP": "3", "TRUST_FORWARDED_FOR": "true"]) { auth, first in
            var token = first
            let client = [("content-type", "application/json"), ("x-forwarded-for", "203.0.113.\(Int.random(in: 1...250))")]
            for _ in 0..<3 {
                let reply = try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/refresh", headers: client,
                                                    body: #"{"refresh_token":"\#(token)"}"#)
                #expect(reply.status == 200)
                token = try #require(try reply.json()["refresh_token"] as? String)
            }
            let refused = try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/refresh", headers: client,
                                                  body: #"{"refresh_token":"\#(token)"}"#)
            #expect(refused.status == 429)
            #expect(Int(refused.header("retry-after") ?? "") ?? 0 >= 1)
            // The refused attempt did not consume the token: it still works from another client.
            let other = try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/refresh",
                                                headers: [("content-type", "application/json"), ("x-forwarded-for", "198.51.100.7")],
                                                body: #"{"refresh_token":"\#(token)"}"#)
            #expect(other.status == 200)
        }
    }

    @Test func anOversizedOrGarbageTokenIsACleanRefusal() async throws {
        try await start([:]) { auth, _ in
            let long = try await helpers.refresh(auth, String(repeating: "x", count: 5_000))
            #expect(long.status == 401)
            let unknown = try await helpers.refresh(auth, "rt_nope")
            #expect(unknown.status == 401)
        }
    }
}

/// A disabled user's refresh token is refused even if its session was somehow left live, and a
/// sealed successor cannot be opened with the undivided key-encryption key.
@Suite struct RefreshSafetyTests {
    let helpers = SessionTests()

    @Test func aDisabledUsersSessionNeverRefreshes() async throws {
        try await RefreshTests().start(["REFRESH_GRACE_WINDOW": "0s"]) { auth, first in
            // Disabled without the admin route's session revocation (a race, or a hand edit).
            _ = try await auth.database.rows("UPDATE users SET status = 'disabled'")
            let refused = try await helpers.refresh(auth, first)
            #expect(refused.status == 401, "\(refused.body)")
        }
    }

    @Test func successorsAreSealedWithTheirOwnKey() async throws {
        try await RefreshTests().start(["REFRESH_GRACE_WINDOW": "5s"]) { auth, first in
            #expect(try await helpers.refresh(auth, first).status == 200)
            let sealed = try #require(try await auth.database.rows(
                "SELECT encode(successor_sealed, 'base64') FROM refresh_tokens WHERE successor_sealed IS NOT NULL").first?[0])
            let box = try #require(Data(base64Encoded: sealed.replacingOccurrences(of: "\n", with: "")))
            let digest = try #require(try await auth.database.rows(
                "SELECT encode(token_hash, 'base64') FROM refresh_tokens WHERE successor_sealed IS NOT NULL").first?[0])
            let context = "refresh-successor:" + digest.replacingOccurrences(of: "\n", with: "")
            let kek = try #require(KeyEncryption(base64: auth.kek))
            #expect(throws: (any Error).self) { try kek.open(box, kid: context) }
            #expect(try kek.derived(for: .refreshSuccessors).open(box, kid: context).hasPrefix("rt_"))
        }
    }
}

/// Two tabs refreshing with the same token at once, inside and outside the grace window.
@Suite struct ConcurrentRefreshTests {
    let helpers = SessionTests()

    /// Both refreshes take their snapshot while the test holds the token's row lock, then run
    /// one after the other: the second must see the first's committed successor. `body` gets both
    /// answers; Auth is stopped afterwards, also when this fails.
    @discardableResult
    func refreshTwiceAtOnce<Value>(grace: String, _ body: (AuthHarness, TestResponse, TestResponse) async throws -> Value) async throws -> Value {
        try await RefreshTests().start(["REFRESH_GRACE_WINDOW": grace]) { auth, first in
            let admin = auth.database.admin
            let holder = Task {
                try await onDedicatedThread {
                    let connection = try LibPQConnection(settings: admin)
                    _ = try connection.execute("BEGIN")
                    _ = try connection.execute("SELECT 1 FROM refresh_tokens FOR UPDATE")  // the login's token, the only one
                    Thread.sleep(forTimeInterval: 1.5)  // both refreshes queue behind the lock meanwhile
                    _ = try connection.execute("COMMIT")
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            async let a = helpers.refresh(auth, first)
            async let b = helpers.refresh(auth, first)
            let (ra, rb) = try await (a, b)
            try await holder.value
            return try await body(auth, ra, rb)
        }
    }

    @Test func insideTheGraceWindowBothTabsGetTheSameSuccessor() async throws {
        try await refreshTwiceAtOnce(grace: "10s") { auth, ra, rb in
            #expect(ra.status == 200 && rb.status == 200, "\(ra.body) \(rb.body)")
            #expect(try ra.json()["refresh_token"] as? String == rb.json()["refresh_token"] as? String)
            #expect(try await auth.database.rows("SELECT revoke_reason FROM sessions").first?[0] == nil)
            let outcomes = try await auth.database.rows("SELECT outcome FROM audit_events WHERE action = 'refresh' ORDER BY id")
            #expect(outcomes.map { $0[0] } == ["ok", "grace_retry"])
        }
    }

    @Test func withoutAGraceWindowTheSecondUseIsReuse() async throws {
        try await refreshTwiceAtOnce(grace: "0s") { auth, ra, rb in
            #expect([ra.status, rb.status].sorted() == [200, 401], "\(ra.body) \(rb.body)")
            let reasons = try await auth.database.rows("SELECT revoke_reason FROM sessions")
            #expect(reasons.first?[0] == "refresh_token_reuse")
        }
    }
}
