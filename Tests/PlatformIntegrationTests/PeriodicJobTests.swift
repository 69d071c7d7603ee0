import Clocks
import Logging
import NIOConcurrencyHelpers
import PlatformDaemon
import PlatformKit
import PlatformTesting
import Testing

@Suite struct PeriodicJobTests {
    struct Boom: Error {}

    @Test func keepsRunningThroughFailuresAndCountsThem() async throws {
        let metrics = PlatformMetrics()
        let passes = NIOLockedValueBox(0)
        let clock = TestClock<Duration>()
        let job = PeriodicJob(name: "flaky", interval: .seconds(60), metrics: metrics, logger: Logger(label: "test"), clock: clock) {
            let pass = passes.withLockedValue { value -> Int in value += 1; return value }
            if pass % 2 == 1 { throw Boom() }
        }
        let task = Task { try await job.run() }
        // The first pass runs at once; each later one only when an interval has passed on the clock.
        #expect(try await eventually { passes.withLockedValue { $0 } == 1 })
        #expect(try await eventually {
            await clock.advance(by: .seconds(60))
            return passes.withLockedValue { $0 } >= 6
        })
        let failures = metricValue(metrics.render(), #"kisum_job_failures_total{job_name="flaky"}"#) ?? 0
        #expect(failures >= 3)

        // Cancellation stops it: time passing afterwards runs nothing.
        task.cancel()
        _ = try? await withDeadline(.seconds(10)) { try await task.value }
        let stopped = passes.withLockedValue { $0 }
        for _ in 0..<3 { await clock.advance(by: .seconds(60)) }
        #expect(passes.withLockedValue { $0 } == stopped)
    }

    @Test func noPassRunsBeforeItsIntervalHasPassed() async throws {
        let passes = NIOLockedValueBox(0)
        let clock = TestClock<Duration>()
        let job = PeriodicJob(name: "patient", interval: .seconds(60), metrics: PlatformMetrics(), logger: Logger(label: "test"),
                              clock: clock) { passes.withLockedValue { $0 += 1 } }
        let task = Task { try await job.run() }
        #expect(try await eventually { passes.withLockedValue { $0 } == 1 })
        await clock.advance(by: .seconds(59))
        try await Task.sleep(for: .milliseconds(200))  // a pass due now would have run by now
        #expect(passes.withLockedValue { $0 } == 1)
        task.cancel()
        _ = try? await withDeadline(.seconds(10)) { try await task.value }
    }
}
