import Foundation
import Hummingbird
import Logging
import NIOCore
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import Prometheus
import ServiceLifecycle

/// Platform Core: the commercial entitlement truth. Internal only: it has no public
/// listener; Auth and Admin reach it on its management listener with service credentials.
public struct CoreDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "core", publicPort: nil, managementPort: 9102, databasePrefix: "CORE", redis: .none,
        callsServices: true, servesInternalRoutes: true,
        extraKeys: [
            ConfigKey("AUTH_INTERNAL_URL", .url(schemes: ["http", "https"]), .localDefault("http://127.0.0.1:9101"),
                      summary: "Auth's management URL, where entitlement invalidation signals are delivered"),
            ConfigKey("OUTBOX_POLL_INTERVAL", .duration, .defaulted("500ms"), summary: "How often the outbox worker looks for due signals (a write through this instance wakes it at once)"),
            ConfigKey("OUTBOX_MAX_BACKOFF", .duration, .defaulted("30s"), summary: "Longest wait between delivery attempts"),
            ConfigKey("BOUNDARY_SWEEP_INTERVAL", .duration, .defaulted("15s"),
                      summary: "How often versions are bumped for subscription periods that started or ended"),
        ])

    public static var migrations: MigrationSet? {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: "core", directory: folder)
    }

    let context: DaemonContext
    let store: PostgresEntitlementStore
    let outbox: OutboxWorker
    /// Advanced after every write Core answers: the outbox delivers its signal at once instead
    /// of at the next poll.
    let outboxWake = ChangeSignal()

    public init(context: DaemonContext) async throws {
        self.context = context
        self.store = PostgresEntitlementStore(database: context.database!, logger: context.logger)
        self.outbox = OutboxWorker(
            database: context.database!, auth: context.client(for: "auth", baseURL: context.configuration.string("AUTH_INTERNAL_URL")!),
            maxBackoff: context.configuration.duration("OUTBOX_MAX_BACKOFF") ?? .seconds(30),
            metrics: context.metrics, logger: context.logger)
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        router.add(middleware: WakesAfterWrites(signal: outboxWake))
        CoreRoutes(store: store, metrics: context.metrics).add(to: router, context: context)
        router.addAPIDocument(Bundle.module.url(forResource: "OpenAPI/core.openapi", withExtension: "yaml"))
    }

    public var readinessChecks: [ReadinessCheck] {
        // Internal auth config is loaded at start (the daemon refuses to start without it).
        [ReadinessCheck(name: "internal_auth", critical: true) { [verifier = context.verifier] in
            if verifier == nil { throw ReadinessFailure("service credential verification not configured") }
        }]
    }

    public var backgroundServices: [any Service] {
        let configuration = context.configuration, metrics = context.metrics, logger = context.logger
        return [
            PeriodicJob(name: "outbox", interval: configuration.duration("OUTBOX_POLL_INTERVAL") ?? .milliseconds(500),
                        metrics: metrics, logger: logger, wake: outboxWake) { [outbox] in try await outbox.pass() },
            // Entitlements change at period boundaries without a write: bump those companies too.
            PeriodicJob(name: "boundary_sweep", interval: configuration.duration("BOUNDARY_SWEEP_INTERVAL") ?? .seconds(15),
                        metrics: metrics, logger: logger) { [store] in
                let bumped = try await store.sweepPeriodBoundaries()
                guard bumped > 0 else { return }
                metrics.counter("kisum_core_entitlement_version_bumps_total", help: "Entitlement version bumps.")
                    .increment(by: Int64(bumped))
                logger.notice("period boundaries crossed", metadata: ["affected_companies": "\(bumped)"])
            },
        ]
    }
}
