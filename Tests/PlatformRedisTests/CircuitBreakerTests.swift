import Clocks
import PlatformRedis
import Testing

@Suite struct CircuitBreakerTests {
    @Test func opensAfterThresholdAndProbesOnceAfterCooldown() async throws {
        let clock = TestClock<Duration>()
        let breaker = CircuitBreaker(threshold: 2, cooldown: .milliseconds(100), clock: clock)
        #expect(breaker.allowRequest())
        breaker.recordFailure()
        #expect(breaker.current == .closed)
        #expect(breaker.allowRequest())
        breaker.recordFailure()
        #expect(breaker.current == .open)
        #expect(!breaker.allowRequest())

        await clock.advance(by: .milliseconds(99))
        #expect(!breaker.allowRequest())      // not a moment early
        await clock.advance(by: .milliseconds(1))
        #expect(breaker.allowRequest())       // the one probe
        #expect(!breaker.allowRequest())      // others wait for it
        breaker.recordFailure()               // probe failed: open again, for a whole cooldown
        #expect(breaker.current == .open)
        #expect(!breaker.allowRequest())

        await clock.advance(by: .milliseconds(100))
        #expect(breaker.allowRequest())
        breaker.recordSuccess()
        #expect(breaker.current == .closed)
        #expect(breaker.allowRequest())
    }

    @Test func anAbandonedProbeLetsTheNextCallerProbe() async {
        let clock = TestClock<Duration>()
        let breaker = CircuitBreaker(threshold: 1, cooldown: .seconds(5), clock: clock)
        breaker.recordFailure()
        await clock.advance(by: .seconds(5))
        #expect(breaker.allowRequest())   // the probe's caller is cancelled...
        breaker.abandon()
        #expect(breaker.allowRequest())   // ...so the next caller probes, no new cooldown
        breaker.recordSuccess()
        #expect(breaker.current == .closed)
    }

    @Test func successResetsTheFailureCount() {
        let breaker = CircuitBreaker(threshold: 2, cooldown: .seconds(10), clock: TestClock<Duration>())
        breaker.recordFailure()
        breaker.recordSuccess()
        breaker.recordFailure()
        #expect(breaker.current == .closed)
    }
}
