import Logging
import PlatformKit
import Prometheus
import ServiceLifecycle

/// Runs `sweepPeriodBoundaries` periodically, so a period that starts or ends changes the
/// company's entitlement version (and signals Auth) like any write does.
final class BoundarySweeper: Service, Sendable {
    let store: PostgresEntitlementStore
    let interval: Duration
    let metrics: PlatformMetrics
    let logger: Logger

    init(store: PostgresEntitlementStore, interval: Duration, metrics: PlatformMetrics, logger: Logger) {
        self.store = store
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let bumped = try await store.sweepPeriodBoundaries()
                if bumped > 0 {
                    metrics.counter("kisum_core_entitlement_version_bumps_total", help: "Entitlement version bumps.")
                        .increment(by: Int64(bumped))
                    logger.notice("period boundaries crossed", metadata: ["affected_companies": "\(bumped)"])
                }
            } catch {
                logger.warning("boundary sweep failed", metadata: ["error_type": "\(type(of: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }
}
