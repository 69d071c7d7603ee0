import AuthService
import Foundation
import PlatformDaemon
import PlatformTesting
import Testing
import ServiceWorlds

@Suite struct RateLimitTests {
    func attempt(_ auth: AuthHarness, email: String, ip: String) async throws -> TestResponse {
        try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/login",
                                headers: [("content-type", "application/json"), ("x-forwarded-for", ip)],
                                body: #"{"email":"\#(email)","password":"wrong"}"#)
    }

    func statuses(_ auth: AuthHarness, email: String, concurrent: Int) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<concurrent {
                group.addTask { try await attempt(auth, email: email, ip: "198.51.100.\(index)").status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test(arguments: [true, false])
    func parallelAttemptsNeverExceedTheLimit(withRedis: Bool) async throws {
        var environment = ["LOGIN_RATE_LIMIT_PER_EMAIL": "5", "TRUST_FORWARDED_FOR": "true"]
        environment["REDIS_URL"] = withRedis ? TestEnvironment.redisURL : "redis://127.0.0.1:\(TestEnvironment.freePort())"
        try await AuthHarness.with(environment) { auth in
            let results = try await statuses(auth, email: "\(UUID())@example.com", concurrent: 20)
            #expect(results.filter { $0 == 401 }.count == 5)
            #expect(results.filter { $0 == 429 }.count == 15)

            let refused = try await attempt(auth, email: "\(UUID())@x.test", ip: "203.0.113.9")
            #expect(refused.status == 401)  // another email is not affected
        }
    }

    @Test func perIPLimitAnswers429WithRetryAfter() async throws {
        // A Redis reply or connect slower than its timeout counts that attempt in PostgreSQL instead
        // (see the closing note): on a loaded machine give Redis the time to answer, so the count is one.
        try await AuthHarness.with(["LOGIN_RATE_LIMIT_PER_IP": "3", "TRUST_FORWARDED_FOR": "true",
                                    "REDIS_URL": TestEnvironment.redisURL, "REDIS_COMMAND_TIMEOUT": "5s",
                                    "REDIS_CONNECT_TIMEOUT": "5s"]) { auth in
            // A valid address of its own (the shared Redis keeps counters across tests and runs).
            let ip = "2001:db8:\(String(UInt16.random(in: 1...0xfffe), radix: 16))::\(String(UInt16.random(in: 1...0xfffe), radix: 16))"
            for _ in 0..<3 { #expect(try await attempt(auth, email: "\(UUID())@x.test", ip: ip).status == 401) }
            let limited = try await attempt(auth, email: "\(UUID())@x.test", ip: ip)
            #expect(limited.status == 429)
            #expect(limited.errorCode == "rate_limited")
            let retry = Int(limited.header("retry-after") ?? "") ?? 0
            #expect((1...60).contains(retry))
        }
    }

    @Test func inventedLeftEntriesDoNotEscapeThePerIPLimit() async throws {
        // Without Redis the counters live in this test's own database: isolated.
        try await AuthHarness.with(["LOGIN_RATE_LIMIT_PER_IP": "3", "TRUST_FORWARDED_FOR": "true"]) { auth in
            let real = "198.51.100.\(Int.random(in: 1...254))"
            for index in 0..<3 {
                // The client invents the left entry; our ingress appended the real one.
                let status = try await attempt(auth, email: "\(UUID())@x.test", ip: "10.\(index).\(index).1, \(real)").status
                #expect(status == 401)
            }
            #expect(try await attempt(auth, email: "\(UUID())@x.test", ip: "9.9.9.9, \(real)").status == 429)
            // Garbage where the proxy's entry should be falls back to the peer, never a fresh key.
            #expect(try await attempt(auth, email: "\(UUID())@x.test", ip: "not-an-address").status != 500)
        }
    }

    @Test func twoInstancesShareLimitsWithRedisDown() async throws {
        let environment = ["LOGIN_RATE_LIMIT_PER_EMAIL": "4", "TRUST_FORWARDED_FOR": "true",
                           "REDIS_URL": "redis://127.0.0.1:\(TestEnvironment.freePort())"]
        try await AuthHarness.with(environment) { first in
            try await AuthHarness.with(environment, database: first.database) { second in
                let email = "\(UUID())@example.com"
                var results: [Int] = []
                for index in 0..<6 {
                    results.append(try await attempt(index.isMultiple(of: 2) ? first : second, email: email, ip: "198.51.100.\(index)").status)
                }
                #expect(results == [401, 401, 401, 401, 429, 429])
            }
        }
    }
}
