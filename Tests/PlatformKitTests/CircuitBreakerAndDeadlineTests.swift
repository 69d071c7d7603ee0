import NIOCore
import PlatformKit
import PlatformRedis
import Testing

@Suite struct CircuitBreakerTests {
    @Test func opensAfterThresholdAndProbesOnceAfterCooldown() async throws {
        let breaker = CircuitBreaker(threshold: 2, cooldown: .milliseconds(100))
        #expect(breaker.allowRequest())
        breaker.recordFailure()
        #expect(breaker.current == .closed)
        #expect(breaker.allowRequest())
        breaker.recordFailure()
        #expect(breaker.current == .open)
        #expect(!breaker.allowRequest())

        try await Task.sleep(for: .milliseconds(150))
        #expect(breaker.allowRequest())       // the one probe
        #expect(!breaker.allowRequest())      // others wait for it
        breaker.recordFailure()               // probe failed: open again
        #expect(breaker.current == .open)
        #expect(!breaker.allowRequest())

        try await Task.sleep(for: .milliseconds(150))
        #expect(breaker.allowRequest())
        breaker.recordSuccess()
        #expect(breaker.current == .closed)
        #expect(breaker.allowRequest())
    }

    @Test func successResetsTheFailureCount() {
        let breaker = CircuitBreaker(threshold: 2, cooldown: .seconds(10))
        breaker.recordFailure()
        breaker.recordSuccess()
        breaker.recordFailure()
        #expect(breaker.current == .closed)
    }
}

@Suite struct DeadlineTests {
    @Test func returnsTheResultInTime() async throws {
        let value = try await withDeadline(.seconds(1)) { 42 }
        #expect(value == 42)
    }

    @Test func failsAtTheDeadlineEvenIfTheWorkIgnoresCancellation() async throws {
        let start = ContinuousClock.now
        await #expect(throws: DeadlineExceeded.self) {
            try await withDeadline(.milliseconds(100)) {
                // Ignores cancellation on purpose, like a blocking call would.
                let until = ContinuousClock.now + .seconds(2)
                while ContinuousClock.now < until { try? await Task.sleep(for: .milliseconds(20)) }
                return 1
            }
        }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func passesErrorsThrough() async {
        await #expect(throws: ReadinessFailure.self) {
            try await withDeadline(.seconds(1)) { () async throws -> Int in throw ReadinessFailure("x") }
        }
    }
}
