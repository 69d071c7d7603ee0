import Logging
import PlatformKit
import Prometheus
import ServiceLifecycle

/// A background job that runs `work` every `interval` until graceful shutdown. A failing
/// pass is logged and counted, never fatal: the next pass tries again. A pass in progress at
/// graceful shutdown finishes; once the daemon cancels (after its grace), the pass is
/// abandoned at once, whatever it awaits, so a stop never waits on it.
public struct PeriodicJob: Service {
    public let name: String
    public let interval: Duration
    let metrics: PlatformMetrics
    let logger: Logger
    let work: @Sendable () async throws -> Void
    /// What `interval` is measured on (a test clock in tests).
    let clock: any Clock<Duration>
    /// Advancing it runs the next pass at once instead of after `interval`.
    let wake: ChangeSignal?

    public init(name: String, interval: Duration, metrics: PlatformMetrics, logger: Logger,
                clock: any Clock<Duration> = ContinuousClock(), wake: ChangeSignal? = nil,
                work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.wake = wake
        self.clock = clock
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let woken = wake?.generation
            do {
                try await abandoningOnCancellation(work)
            } catch is CancellationError where Task.isCancelled {
                return
            } catch {
                metrics.counter("kisum_job_failures_total", help: "Failed passes of background jobs, by job.",
                                labels: [("job_name", name)]).increment()
                logger.warning("background job pass failed",
                               metadata: ["job": .string(name), "error_type": .type(of: error), "error_detail": .detail(of: error)])
            }
            if let wake, let woken {
                await cancelWhenGracefulShutdown { [interval] in await wake.wait(beyond: woken, for: interval) }
            } else {
                try? await cancelWhenGracefulShutdown { [clock, interval] in try await clock.sleep(for: interval) }
            }
        }
    }
}
