import AuthService
import BasicService
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import PlatformDaemon
import PlatformKit
import PlatformTesting
import ServiceAuth
import ServiceWorlds
import Testing

/// Two instances of Auth and two of Basic behind the generated ingress, sharing PostgreSQL and
/// Redis: sign-in limits are shared, a revocation is refused by both Basic instances within a
/// second, and taking one Basic instance away mid-load loses no request.
@Suite(.timeLimit(.minutes(4))) struct ScaleOutTests {
    @Test func twoInstancesEachBehindTheIngress() async throws {
        try await BackendWorld.with(BasicDaemon.self, authEnvironment: Self.limits) { world in
            var secondAuthSettings = world.authSettings
            secondAuthSettings["KISUM_MANAGEMENT_LISTEN"] = "127.0.0.1:0"
            secondAuthSettings.merge(Self.limits) { _, new in new }
            secondAuthSettings["INTERNAL_TRUSTED_KEYS"] = world.auth.trustedKeys
            secondAuthSettings["ACCESS_TOKEN_TTL"] = "15m"
            let auth2 = try await AuthHarness.start(secondAuthSettings, core: world.coreKey, database: world.auth.database)
            try await withStopping(auth2, stop: { try await $0.stop() }) { auth2 in
                let basic2 = try await Daemon.start(BasicDaemon.self, environment: world.backendEnvironment, sink: MemoryLogSink())
                try await withStopping(basic2) { basic2 in
                    let ingress = try await IngressTests.start(upstreams: [
                        "auth": ["127.0.0.1:\(try require(world.auth.daemon.publicPort))", "127.0.0.1:\(try require(auth2.daemon.publicPort))"],
                        "basic": ["127.0.0.1:\(try require(world.backend.publicPort))", "127.0.0.1:\(try require(basic2.publicPort))"],
                    ])
                    do {
                        try await Self.exercise(world, auth2: auth2, basic2: basic2, ingress: ingress)
                    } catch {
                        await ingress.stop()
                        throw error
                    }
                    await ingress.stop()
                }
            }
        }
    }

    /// Six attempts per email (the address limit out of the way: every test client is 127.0.0.1).
    static let limits = ["REDIS_URL": TestEnvironment.redisURL, "LOGIN_RATE_LIMIT_PER_EMAIL": "6", "LOGIN_RATE_LIMIT_PER_IP": "10000"]

    static func exercise(_ world: BackendWorld, auth2: AuthHarness, basic2: RunningDaemon, ingress: IngressTests.Ingress) async throws {
        let ada = try require(world.tokens["ada"]), bo = try require(world.tokens["bo"])
        let basics = [try require(world.backend.publicURL), try require(basic2.publicURL)]

        // Sign-in attempts count once across both Auth instances (the shared limit, in Redis);
        // an address of its own so that no other test's attempts count.
        let email = "scale-\(UUID().uuidString.prefix(8).lowercased())@kisum.test"
        var statuses: [Int] = []
        for attempt in 0..<8 {
            let auth = attempt.isMultiple(of: 2) ? world.auth : auth2
            let reply = try await TestHTTP.send("POST", try require(auth.daemon.publicURL) + "/auth/login", headers: [("content-type", "application/json")],
                                                body: #"{"email":"\#(email)","password":"wrong-password"}"#)
            statuses.append(reply.status)
        }
        #expect(statuses.prefix(6).allSatisfy { $0 == 401 } && statuses.suffix(2).allSatisfy { $0 == 429 }, "\(statuses)")

        // A revocation committed once is refused by both Basic instances within a second.
        for base in basics {
            let read = try await TestHTTP.get(base + "/v1/contacts", headers: [("authorization", "Bearer \(bo)"), ("x-org", "beacon")])
            #expect(read.status == 200, "\(read.body)")
        }
        try await world.authSQL("UPDATE sessions SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE email = 'bo@kisum.test')")
        let committed = ContinuousClock.now
        for base in basics {
            var refusedAfter: Duration?
            while refusedAfter == nil, ContinuousClock.now - committed < .seconds(3) {
                let read = try await TestHTTP.get(base + "/v1/contacts", headers: [("authorization", "Bearer \(bo)"), ("x-org", "beacon")])
                if read.status == 401 { refusedAfter = ContinuousClock.now - committed } else { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(refusedAfter.map { $0 <= .seconds(1) } == true, "\(base) allowed the revoked session for \(String(describing: refusedAfter))")
        }

        // An entitlement change (Acme's Basic subscription canceled in Core) is refused by both
        // within a second, and its return is seen by both.
        let acme = try require(world.companies["acme"])
        try await Self.refusedByBoth(basics, token: ada, code: "module_not_entitled") {
            let reply = try await world.coreAdmin.send(.post, "/internal/v1/companies/\(acme)/subscription/cancel", json: ["reason": "scale test"],
                                                       headers: [("idempotency-key", UUID().uuidString)])
            guard reply.status == 200 else { throw TestFailure("cancel: \(reply.status)") }
        }
        let restored = try await world.coreAdmin.send(.put, "/internal/v1/companies/\(acme)/subscription",
                                                      json: ["package_key": "basic", "status": "active", "period_start": "2026-01-01T00:00:00Z"],
                                                      headers: [("idempotency-key", UUID().uuidString)])
        #expect(restored.status == 200)
        for base in basics {
            #expect(try await eventually(within: .seconds(3)) { try await Self.read(base, ada).status == 200 }, "\(base) after the subscription returned")
        }

        // An emergency key rotation on one Auth instance: the old key's tokens are refused by both
        // Basic instances within a second; the other Auth instance signs with the new key, whose
        // tokens both accept once they have refetched the JWKS (an unknown kid: at most every 5 s).
        let oldKid = try require(JWTHeaderPeek.fields(of: ada)?.kid)
        try await Self.refusedByBoth(basics, token: ada, code: "key_unknown") {
            let rotated = try await world.auth.call("POST", "/internal/v1/keys/rotate", body: #"{"emergency":true,"reason":"scale test"}"#,
                                                    headers: [("x-kisum-acting-user", "ops@kisum.test")])
            guard rotated.status == 200 else { throw TestFailure("rotate: \(rotated.status) \(rotated.body)") }
        }
        var fresh = ""
        #expect(try await eventually(within: .seconds(5)) {
            fresh = (try? await BackendWorld.signIn(auth2, "ada@kisum.test")) ?? ""
            return !fresh.isEmpty && JWTHeaderPeek.fields(of: fresh)?.kid != oldKid
        }, "the second Auth instance still signs with the retired key")
        for base in basics {
            #expect(try await eventually(within: .seconds(12)) { try await Self.read(base, fresh).status == 200 }, "\(base) with the new key")
        }

        // Load through the ingress while one Basic instance shuts down: nothing is lost (reads are retried on the other).
        let failures = NIOLockedValueBox<[String]>([])
        let current = fresh
        let url = "https://api-basic.kisum.localhost:\(ingress.https)/v1/contacts"
        let ca = ingress.ca, resolve = "api-basic.kisum.localhost:\(ingress.https):127.0.0.1"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for _ in 0..<25 {
                        let reply = try await ChildProcess.run("/usr/bin/curl", [
                            "-s", "-o", "/dev/null", "-w", "%{http_code} exit=%{exitcode} %{time_total}s", "--max-time", "10", "--cacert", ca, "--resolve", resolve,
                            "-H", "authorization: Bearer \(current)", "-H", "x-org: acme", url,
                        ])
                        if !reply.output.hasPrefix("200 ") { failures.withLockedValue { $0.append("worker \(worker): \(reply.output)") } }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(300))
                try await basic2.shutdown()
            }
            try await group.waitForAll()
        }
        let lost = failures.withLockedValue { $0 }
        let errors = lost.isEmpty ? "" : (try? String(contentsOf: ingress.prefix.appendingPathComponent("logs/error.log"), encoding: .utf8))?.suffix(3000) ?? ""
        let unanswered = lost.isEmpty ? "" : ((try? String(contentsOf: ingress.prefix.appendingPathComponent("logs/access.json"), encoding: .utf8)) ?? "")
            .split(separator: "\n").filter { !$0.contains(#""status":200"#) && !$0.contains(#""status":"200""#) }.suffix(12).joined(separator: "\n")
        // The stopped instance's port is closed, not merely unanswered (no child process holds it).
        let direct = try await ChildProcess.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "exit=%{exitcode}", "--max-time", "2", basics[1] + "/health"])
        #expect(direct.output == "exit=7", "a request to the stopped instance: \(direct.output) (7 is connection refused)")
        #expect(lost.isEmpty, "basic2 at \(basics[1]): \(lost)\nnginx error log:\n\(errors)\nnot answered:\n\(unanswered)")
    }

    static func read(_ base: String, _ token: String) async throws -> TestResponse {
        try await TestHTTP.get(base + "/v1/contacts", headers: [("authorization", "Bearer \(token)"), ("x-org", "acme")])
    }

    /// Runs `change`, then expects every one of `bases` to refuse `token` with `code` within a second of it.
    static func refusedByBoth(_ bases: [String], token: String, code: String, after change: () async throws -> Void) async throws {
        for base in bases { #expect(try await read(base, token).status == 200, "\(base) before the change") }
        try await change()
        let committed = ContinuousClock.now
        for base in bases {
            var refusedAfter: Duration?, last = ""
            while refusedAfter == nil, ContinuousClock.now - committed < .seconds(3) {
                let reply = try await read(base, token)
                if reply.status != 200 { refusedAfter = ContinuousClock.now - committed; last = reply.errorCode ?? "\(reply.status)" }
                else { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(refusedAfter.map { $0 <= .seconds(1) } == true && last == code,
                    "\(base): \(code) expected within 1 s; got \(last) after \(String(describing: refusedAfter))")
        }
    }
}
