import AuthService
import BasicService
import Foundation
import NIOConcurrencyHelpers
import PlatformDaemon
import PlatformKit
import PlatformTesting
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

        // Load through the ingress while one Basic instance shuts down: nothing is lost (reads are retried on the other).
        let failures = NIOLockedValueBox<[String]>([])
        let url = "https://api-basic.kisum.localhost:\(ingress.https)/v1/contacts"
        let ca = ingress.ca, resolve = "api-basic.kisum.localhost:\(ingress.https):127.0.0.1"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for _ in 0..<25 {
                        let reply = try await ChildProcess.run("/usr/bin/curl", [
                            "-s", "-o", "/dev/null", "-w", "%{http_code} exit=%{exitcode} %{time_total}s", "--max-time", "10", "--cacert", ca, "--resolve", resolve,
                            "-H", "authorization: Bearer \(ada)", "-H", "x-org: acme", url,
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
}
