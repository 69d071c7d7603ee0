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
        let job = PeriodicJob(name: "flaky", interval: .milliseconds(20), metrics: metrics, logger: Logger(label: "test")) {
            let pass = passes.withLockedValue { value -> Int in value += 1; return value }
            if pass % 2 == 1 { throw Boom() }
        }
        let task = Task { try await job.run() }
        #expect(try await eventually { passes.withLockedValue { $0 } >= 6 })
        task.cancel()
        _ = try? await task.value
        let failures = metricValue(metrics.render(), #"kisum_job_failures_total{job_name="flaky"}"#) ?? 0
        #expect(failures >= 3)
        let stopped = passes.withLockedValue { $0 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(passes.withLockedValue { $0 } == stopped)  // cancellation stops it
    }
}
