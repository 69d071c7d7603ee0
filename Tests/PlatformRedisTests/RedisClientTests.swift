import Foundation
import Logging
import PlatformKit
import PlatformRedis
import PlatformTesting
import Testing

@Suite struct RedisClientTests {
    /// A client; `timeout` stays at the production 100 ms where a test measures timeouts and
    /// is relaxed where it only checks results, so a loaded CI machine cannot fail it.
    func client(_ url: String, threshold: Int = 2, cooldown: Duration = .milliseconds(300),
                timeout: Duration = .milliseconds(100)) -> (RedisClient, PlatformMetrics) {
        var configuration = RedisConfiguration(url: url)!
        configuration.connectTimeout = timeout
        configuration.commandTimeout = timeout
        configuration.breakerThreshold = threshold
        configuration.breakerCooldown = cooldown
        let metrics = PlatformMetrics()
        return (RedisClient(configuration: configuration, metrics: metrics, logger: Logger(label: "test")), metrics)
    }

    @Test func commandsAndPipelinesRoundTrip() async throws {
        let (redis, _) = client(TestEnvironment.redisURL, timeout: .seconds(2))
        let key = TestEnvironment.uniqueName("k")
        try await redis.set(key, Array("välue\0binary".utf8), ttl: .seconds(30))
        #expect(try await redis.get(key) == Array("välue\0binary".utf8))
        #expect(try await redis.get(key + "-absent") == nil)

        let increments = (0..<50).map { _ in RedisCommand("INCR", ["\(key)-n"]) }
        let replies = try await redis.pipeline(increments + [RedisCommand("NOSUCHCOMMAND")])
        #expect(replies.prefix(50).map { $0.int } == (1...50).map { Optional($0) })
        if case .error(let message) = replies[50] { #expect(message.contains("unknown command")) } else { Issue.record("expected an error reply") }

        let server = await #expect(throws: RedisError.self) { try await redis.send(RedisCommand("NOSUCHCOMMAND")) }
        #expect(server?.code == .server)
        #expect(try await redis.incrementWindow(key + "-w", window: .seconds(10)) == 1)
        #expect(try await redis.incrementWindow(key + "-w", window: .seconds(10)) == 2)
        #expect(try await redis.delete([key, key + "-n", key + "-w"]) == 3)
        #expect(redis.breaker.current == .closed)
    }

    @Test func concurrentCallersShareConnectionsWithoutMixingReplies() async throws {
        let (redis, _) = client(TestEnvironment.redisURL, timeout: .seconds(2))
        let prefix = TestEnvironment.uniqueName("c")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await redis.set("\(prefix):\(index)", Array("v\(index)".utf8))
                    let value = try await redis.get("\(prefix):\(index)")
                    #expect(value == Array("v\(index)".utf8))
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func survivesRedisBeingKilledMidTrafficAndRecoversByItself() async throws {
        let server = RedisServerProcess()
        try await server.start()
        // A cooldown longer than the traffic below, so the breaker is certainly still open when
        // the refusal is checked (a shorter one could be half-open by then, on a slow machine).
        let (redis, metrics) = client(server.url, threshold: 2, cooldown: .seconds(4))
        // The first connection to a fresh server can exceed 100 ms on a loaded machine.
        #expect(try await eventually(within: .seconds(10)) { (try? await redis.set("k", Array("v".utf8))) != nil })

        // Traffic while Redis dies: every call returns or fails within its timeout.
        let traffic = Task {
            var slowest: Duration = .zero
            var failures = 0
            let until = ContinuousClock.now + .seconds(1.5)
            while ContinuousClock.now < until {
                let start = ContinuousClock.now
                do { _ = try await redis.get("k") } catch { failures += 1 }
                slowest = max(slowest, ContinuousClock.now - start)
                try? await Task.sleep(for: .milliseconds(5))
            }
            return (slowest, failures)
        }
        try await Task.sleep(for: .milliseconds(300))
        try await server.kill()
        let (slowest, failures) = await traffic.value
        #expect(failures > 0)
        // 100 ms command/connect timeouts: bounded, with generous slack for a loaded 2-core
        // machine (without the timeouts a call would hang for good).
        #expect(slowest < .seconds(2), "a call took \(slowest)")
        #expect(redis.breaker.current != .closed)

        // While the breaker is open, calls are refused at once instead of costing a timeout.
        let start = ContinuousClock.now
        let refused = await #expect(throws: RedisError.self) { try await redis.get("k") }
        #expect(refused?.code == .unavailable)
        #expect(ContinuousClock.now - start < .milliseconds(500))
        #expect(metricValue(metrics.render(), "kisum_redis_breaker_open") == 1)

        // Redis comes back: the client reconnects without help once the cooldown passes.
        try await server.start()
        var recovered = false
        for _ in 0..<100 where !recovered {
            try await Task.sleep(for: .milliseconds(100))
            recovered = (try? await redis.send(RedisCommand("PING")))?.string == "PONG"
        }
        #expect(recovered)
        #expect(redis.breaker.current == .closed)
        #expect(metricValue(metrics.render(), "kisum_redis_breaker_open") == 0)
        try await server.kill()
    }

    @Test func aBlackholedRedisCostsAtMostOneTimeoutPerCooldown() async throws {
        let hole = try BlackholeListener()
        let (redis, metrics) = client("redis://127.0.0.1:\(hole.port)", threshold: 1, cooldown: .seconds(5))

        let first = ContinuousClock.now
        let timedOut = await #expect(throws: RedisError.self) { try await redis.get("k") }
        #expect(timedOut?.code == .timeout)
        #expect(ContinuousClock.now - first < .seconds(2))

        // The breaker is open now: the next 100 calls fail at once (100 timeouts would be 10 s).
        let rest = ContinuousClock.now
        for _ in 0..<100 {
            let error = await #expect(throws: RedisError.self) { try await redis.get("k") }
            #expect(error?.code == .unavailable)
        }
        #expect(ContinuousClock.now - rest < .seconds(1))
        #expect(metrics.render().contains(#"kisum_redis_commands_total{command="GET",outcome="redis_unavailable"} 100"#) ||
                metrics.render().contains(#"kisum_redis_commands_total{command="GET",outcome="rejected"} 100"#))
    }

    @Test func anUnreachablePortFailsFast() async throws {
        let port = TestEnvironment.freePort()
        let (redis, _) = client("redis://127.0.0.1:\(port)")
        let start = ContinuousClock.now
        let error = await #expect(throws: RedisError.self) { try await redis.get("k") }
        #expect(error?.code == .connectFailed)
        #expect(ContinuousClock.now - start < .seconds(2))
    }
}
