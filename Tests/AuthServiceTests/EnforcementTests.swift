import AccessControl
import AuthService
import CanaryService
import Foundation
import HTTPTypes
import PlatformDaemon
import PlatformKit
import PlatformTesting
import ServiceAuth
import Testing
import Yams
import ServiceWorlds

/// The shared enforcement layer at a service (the canary's enforced read): decisions from
/// memory while Auth's feed is current, and every administrative change refused there within
/// a second of its commit — with Redis up or down, the feed cut, or Auth gone.
@Suite struct EnforcementTests {
    struct Enforced: Sendable {
        let world: AccessTests.World
        let canary: RunningDaemon
        let note: Int64
        /// In front of Auth's management listener, when the test cuts the feed.
        let relay: HTTPRelay?

        /// The enforced read as `token`, in `org`.
        func read(_ token: String, org: String? = "acme") async throws -> TestResponse {
            var headers = [("authorization", "Bearer \(token)")]
            if let org { headers.append(("x-org", org)) }
            return try await TestHTTP.get(canary.publicURL! + "/v1/enforced/notes/\(note)", headers: headers)
        }

        func metric(_ sample: String) async throws -> Double {
            metricValue(try await TestHTTP.get(canary.managementURL + "/metrics").body, sample) ?? 0
        }

        /// Waits until the canary's state is vouched for by the feed (its readiness says so),
        /// or, with `current` false, until it no longer is.
        func feedCurrent(_ current: Bool = true) async throws -> Bool {
            try await eventually(within: .seconds(20)) {
                let ready = try await TestHTTP.get(canary.managementURL + "/ready").body
                return ready.contains("\"access_feed\"") && ready.contains("access feed is not current") != current
            }
        }

        /// The most recent session of Ada's.
        func latestSession() async throws -> String {
            try #require(try await world.auth.database.rows("SELECT id FROM sessions ORDER BY created_at DESC LIMIT 1").first?.first ?? nil)
        }

        /// A fresh session of Ada's.
        func signIn() async throws -> String {
            let login = try await TestHTTP.send("POST", world.auth.daemon.publicURL! + "/auth/login",
                                                headers: [("content-type", "application/json")],
                                                body: #"{"email":"ada@acme.test","password":"pw-pw-pw"}"#)
            return try #require(try login.json()["access_token"] as? String)
        }
    }

    /// A world (Core, Auth, Ada in Acme) and a canary enforcing against its Auth.
    func enforced(redis: String = TestEnvironment.redisURL, relayed: Bool = false,
                  _ body: (Enforced) async throws -> Void) async throws {
        try await AccessTests().world(redis: redis) { world in
            let relay = relayed ? try await HTTPRelay.start(to: world.auth.daemon.managementURL, gating: "/access-feed") : nil
            let database = try await TestDatabase.create(migrations: CanaryDaemon.migrations!)
            let canary = try await Daemon.start(CanaryDaemon.self, environment: DaemonEnvironment.base([
                "CANARY_DB_URL": database.runtimeURL, "REDIS_URL": redis,
                "INTERNAL_SIGNING_KEY": world.auth.canary.privateBase64,
                "INTERNAL_TRUSTED_KEYS": "admin=\(ServiceKey().publicBase64)",
                "AUTH_INTERNAL_URL": relay?.url ?? world.auth.daemon.managementURL,
                "AUTH_JWKS_URL": world.auth.daemon.publicURL! + "/.well-known/jwks.json",
                "JWT_ISSUER": AuthHarness.issuer, "JWT_AUDIENCE": "kisum-test", "JWKS_CACHE_TTL": "5m",
            ]), sink: MemoryLogSink())
            try await withStopping(canary, stop: { canary in
                try await canary.shutdown()
                try await relay?.stop()
            }) { canary in
                let created = try await TestHTTP.send("POST", canary.publicURL! + "/v1/notes", headers: [("content-type", "application/json")],
                                                      body: #"{"body":"enforced"}"#)
                let note = try #require(try created.json()["id"] as? Int)
                try await body(Enforced(world: world, canary: canary, note: Int64(note), relay: relay))
            }
        }
    }

    /// Throws unless the administrative call succeeded.
    func ok(_ reply: TestResponse) throws {
        guard reply.status == 200 else { throw TestFailure("administrative call: \(reply.status) \(reply.body)") }
    }

    /// After `change` returns, no request sent more than a second later is allowed, and the
    /// refusal (`code`) comes. Returns how long after the change the first refusal came.
    @discardableResult
    func refusedWithinASecond(_ enforced: Enforced, token: String, code: String, org: String = "acme",
                              sourceLocation: SourceLocation = #_sourceLocation,
                              after change: () async throws -> Void) async throws -> Duration {
        #expect(try await enforced.read(token, org: org).status == 200, "allowed before the change", sourceLocation: sourceLocation)
        try await change()
        let committed = ContinuousClock.now
        while true {
            let sent = ContinuousClock.now
            let reply = try await enforced.read(token, org: org)
            if reply.status != 200 {
                #expect(reply.errorCode == code, "\(reply.status) \(reply.body)", sourceLocation: sourceLocation)
                return sent - committed
            }
            #expect(sent - committed < .seconds(1), "allowed \(sent - committed) after the change", sourceLocation: sourceLocation)
            guard sent - committed < .seconds(10) else { throw TestFailure("still allowed 10 s after the change") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The canary's API document matches its routes and real answers, and each enforced
    /// operation shows what it needs, from the routes as declared.
    @Test(.timeLimit(.minutes(3))) func theAPIDocumentShowsWhatEachEnforcedRouteNeeds() async throws {
        try await enforced { enforced in
            let token = try await enforced.signIn()
            let canary = enforced.canary
            var samples: [[String: Any]] = []
            func call(_ method: String, _ template: String, _ path: String? = nil, body: String? = nil,
                      headers: [(String, String)] = [], management: Bool = false) async throws {
                let base = management ? canary.managementURL : canary.publicURL!
                let reply = try await TestHTTP.send(method, base + (path ?? template),
                                                    headers: headers + (body == nil ? [] : [("content-type", "application/json")]), body: body)
                samples.append(["method": method, "path": template, "status": reply.status, "body": reply.body])
            }
            let note = "/v1/notes/\(enforced.note)", enforcedNote = "/v1/enforced/notes/\(enforced.note)"
            try await call("GET", "/v1/echo")
            try await call("POST", "/v1/echo", body: #"{"message":"hi"}"#)
            try await call("GET", "/v1/slow", "/v1/slow?ms=1")
            try await call("POST", "/v1/notes", body: #"{"body":"documented"}"#)
            try await call("GET", "/v1/notes/{id}", note)
            try await call("GET", "/v1/enforced/notes/{id}", enforcedNote, headers: [("authorization", "Bearer \(token)"), ("x-org", "acme")])
            try await call("GET", "/v1/enforced/notes/{id}", enforcedNote, headers: [("x-org", "acme")])  // an error answer
            try await call("POST", "/internal/v1/relay", management: true)  // no credential: an error answer

            let served = try await TestHTTP.get(canary.managementURL + "/openapi.yaml")
            #expect(served.status == 200)
            let check = try await APIDocumentCheck.run(document: served.body, samples: samples)
            #expect(check.status == 0, "\(check.output)")
            let infrastructure: Set<String> = ["/health", "/ready", "/metrics", "/openapi.yaml"]
            let routed = APIDocumentCheck.normalise(canary.publicRoutes + canary.managementRoutes)
                .filter { route in !infrastructure.contains(String(route.split(separator: " ").last ?? "")) }
            #expect(check.documented == routed, "documented only: \(check.documented.subtracting(routed)); routed only: \(routed.subtracting(check.documented))")

            // What the enforced read needs is in its operation; the open routes say nothing.
            let document = try #require(try Yams.load(yaml: served.body) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let access = (paths["/v1/enforced/notes/{id}"]?["get"] as? [String: Any])?["x-kisum-access"] as? [String: String]
            #expect(access?["module"] == "core_app" && access?["permission"] == "core_app.projects.read", "\(String(describing: access))")
            #expect(access?["company"]?.contains("x-org") == true)
            #expect((paths["/v1/notes/{id}"]?["get"] as? [String: Any])?["x-kisum-access"] == nil)
        }
    }

    @Test(.timeLimit(.minutes(3))) func decisionsComeFromMemoryAndRefuseWhatTheyMust() async throws {
        try await enforced { enforced in
            #expect(try await enforced.feedCurrent())
            let token = try await enforced.signIn()
            let first = try await enforced.read(token)
            #expect(first.status == 200, "\(first.body)")
            // While the feed vouches, repeated decisions are answered from memory (on a loaded
            // machine the feed's word may lapse for a moment: then Auth answers, as it should).
            let before = try await enforced.metric("kisum_access_decisions_from_memory_total")
            #expect(try await eventually(within: .seconds(20)) {
                for _ in 0..<5 { guard try await enforced.read(token).status == 200 else { return false } }
                return try await enforced.metric("kisum_access_decisions_from_memory_total") - before >= 4
            })

            // The ladder's refusals, each with its code.
            #expect(try await enforced.read(token, org: nil).errorCode == "x_org_missing")
            #expect(try await enforced.read(token, org: "not a slug").errorCode == "x_org_missing")
            #expect(try await enforced.read(token, org: "globex").errorCode == "x_org_forbidden")
            #expect(try await enforced.read("not-a-token").errorCode == "token_invalid")
            let anonymous = try await TestHTTP.get(enforced.canary.publicURL! + "/v1/enforced/notes/\(enforced.note)", headers: [("x-org", "acme")])
            #expect(anonymous.status == 401)
            #expect(try await enforced.read(token, org: enforced.world.company.uuidString).status == 200)  // by id as well
        }
    }

    @Test(.timeLimit(.minutes(4))) func everyAdministrativeChangeIsRefusedWithinASecond() async throws {
        try await enforced { enforced in
            #expect(try await enforced.feedCurrent())
            let world = enforced.world, auth = world.auth
            let actor = [("x-kisum-acting-user", "ops@kisum.test")]

            // Session revoke, by Admin.
            var token = try await enforced.signIn()
            let session = try #require(try await auth.database.rows("SELECT id FROM sessions ORDER BY created_at DESC LIMIT 1").first?.first ?? nil)
            try await refusedWithinASecond(enforced, token: token, code: "session_revoked") {
                try ok(try await auth.call("POST", "/internal/v1/sessions/\(session)/revoke", body: #"{"reason":"test"}"#, headers: actor))
            }
            // Logout-all.
            token = try await enforced.signIn()
            try await refusedWithinASecond(enforced, token: token, code: "session_revoked") {
                try ok(try await auth.call("POST", "/internal/v1/users/\(world.user)/sessions/revoke-all", body: #"{"reason":"test"}"#,
                                            headers: actor))
            }
            // A module grant withdrawn, then given back.
            token = try await enforced.signIn()
            let membership = "/internal/v1/memberships/\(world.membership)"
            try await refusedWithinASecond(enforced, token: token, code: "module_not_entitled") {
                try ok(try await auth.call("PUT", membership + "/modules", body: #"{"modules":["finance"]}"#, headers: actor))
            }
            try ok(try await auth.call("PUT", membership + "/modules", body: #"{"modules":["core_app","finance"]}"#, headers: actor))
            #expect(try await eventually(within: .seconds(2)) { try await enforced.read(token).status == 200 })
            // A role's permission withdrawn.
            try await refusedWithinASecond(enforced, token: token, code: "permission_denied") {
                try await world.sql("UPDATE roles SET permissions = '{finance.invoices.read}' WHERE key = 'reader'")
                try await world.sql("UPDATE memberships SET access_version = access_version + 1 WHERE id = $1", [world.membership.uuidString])
            }
            try await world.sql("UPDATE roles SET permissions = '{core_app.projects.read,finance.invoices.read}' WHERE key = 'reader'")
            try await world.sql("UPDATE memberships SET access_version = access_version + 1 WHERE id = $1", [world.membership.uuidString])
            #expect(try await eventually(within: .seconds(2)) { try await enforced.read(token).status == 200 })
            // The membership made inactive, then active again.
            try await refusedWithinASecond(enforced, token: token, code: "membership_inactive") {
                try ok(try await auth.call("POST", membership + "/status", body: #"{"status":"inactive","reason":"t"}"#, headers: actor))
            }
            try ok(try await auth.call("POST", membership + "/status", body: #"{"status":"active","reason":"t"}"#, headers: actor))
            #expect(try await eventually(within: .seconds(2)) { try await enforced.read(token).status == 200 })
            // Basic cancelled in Core: core_app is no longer entitled (Core → Auth → feed).
            try await refusedWithinASecond(enforced, token: token, code: "module_not_entitled") {
                try await world.coreWrite(.post, "/internal/v1/companies/\(world.company)/subscription/cancel", ["reason": "test"])
            }
            try await world.coreWrite(.put, "/internal/v1/companies/\(world.company)/subscription",
                                      ["package_key": "basic", "status": "active", "period_start": "2026-01-01T00:00:00Z"])
            #expect(try await eventually(within: .seconds(3)) { try await enforced.read(token).status == 200 })
            // The company suspended.
            try await refusedWithinASecond(enforced, token: token, code: "membership_inactive") {
                try ok(try await auth.call("POST", "/internal/v1/companies/\(world.company)/status", body: #"{"status":"suspended","reason":"t"}"#,
                                            headers: actor))
            }
            try ok(try await auth.call("POST", "/internal/v1/companies/\(world.company)/status", body: #"{"status":"approved","reason":"t"}"#,
                                        headers: actor))
            #expect(try await eventually(within: .seconds(2)) { try await enforced.read(token).status == 200 })
            // An emergency key rotation: the old key's tokens are refused although the canary's
            // JWKS cache (5 minutes) still lists it.
            try await refusedWithinASecond(enforced, token: token, code: "key_unknown") {
                try ok(try await auth.call("POST", "/internal/v1/keys/rotate", body: #"{"emergency":true}"#, headers: actor))
            }
            // The user disabled (last: it ends every session).
            // A token of the new key is accepted once the canary has refetched the JWKS (an unknown
            // kid refetches at most every 5 s, and the rotation's refusal just did).
            #expect(try await eventually(within: .seconds(12)) {
                guard let fresh = try? await enforced.signIn() else { return false }
                token = fresh
                return try await enforced.read(token).status == 200
            })
            try await refusedWithinASecond(enforced, token: token, code: "session_revoked") {
                try ok(try await auth.call("POST", "/internal/v1/users/\(world.user)/status", body: #"{"status":"disabled","reason":"t"}"#,
                                            headers: actor))
            }
        }
    }

    /// Redis is never on the path: with Auth's Redis unreachable decisions and refusals are the same.
    @Test(.timeLimit(.minutes(3))) func withoutRedisNothingChangesButSpeed() async throws {
        try await enforced(redis: "redis://127.0.0.1:\(TestEnvironment.freePort())") { enforced in
            #expect(try await enforced.feedCurrent())
            let token = try await enforced.signIn()
            #expect(try await enforced.read(token).status == 200)
            let session = try #require(try await enforced.world.auth.database.rows("SELECT id FROM sessions ORDER BY created_at DESC LIMIT 1").first?.first ?? nil)
            try await refusedWithinASecond(enforced, token: token, code: "session_revoked") {
                try ok(try await enforced.world.auth.call("POST", "/internal/v1/sessions/\(session)/revoke", body: #"{"reason":"t"}"#))
            }
        }
    }

    /// The feed cut, silently and then refused, while Auth still answers: decisions ask Auth
    /// per request, and a change is still refused within a second.
    @Test(.timeLimit(.minutes(3))) func withTheFeedCutDecisionsAskAuthAndStayCorrect() async throws {
        try await enforced(relayed: true) { enforced in
            let relay = try #require(enforced.relay)
            #expect(try await enforced.feedCurrent())
            for mode in [HTTPRelay.Mode.hang, .refuse] {
                let token = try await enforced.signIn()
                #expect(try await enforced.read(token).status == 200)
                relay.set(mode)
                // A poll answered before the cut vouches at most until its question's time plus
                // the freshness bound (500 ms): past that the memory is never trusted again.
                try await Task.sleep(for: .milliseconds(700))
                #expect(try await enforced.feedCurrent(false), "\(mode)")
                let fromMemory = try await enforced.metric("kisum_access_decisions_from_memory_total")
                #expect(try await enforced.read(token).status == 200)  // asked Auth, through the relay
                #expect(try await enforced.metric("kisum_access_decisions_from_memory_total") == fromMemory)
                let session = try await enforced.latestSession()
                try await refusedWithinASecond(enforced, token: token, code: "session_revoked") {
                    try ok(try await enforced.world.auth.call("POST", "/internal/v1/sessions/\(session)/revoke", body: #"{"reason":"t"}"#))
                }
                relay.set(.pass)
                #expect(try await enforced.feedCurrent(), "the feed resumes after \(mode)")
            }
        }
    }

    /// Auth gone and the feed with it: once the feed's word has lapsed every decision is
    /// refused with 503 `access_unavailable`, never allowed.
    @Test(.timeLimit(.minutes(3))) func authDownWithAStaleFeedIsA503NeverA200() async throws {
        try await enforced { enforced in
            #expect(try await enforced.feedCurrent())
            let token = try await enforced.signIn()
            #expect(try await enforced.read(token).status == 200)
            try await enforced.world.auth.daemon.shutdown()
            let stopped = ContinuousClock.now
            var last: TestResponse?
            while ContinuousClock.now - stopped < .seconds(2) {
                let sent = ContinuousClock.now
                let reply = try await enforced.read(token)
                if sent - stopped > .seconds(1) {
                    #expect(reply.status == 503 && reply.errorCode == "access_unavailable", "\(reply.status) \(reply.body)")
                }
                last = reply
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(last?.status == 503)
        }
    }
}
