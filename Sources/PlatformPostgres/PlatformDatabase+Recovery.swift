import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import PlatformKit
import PostgresNIO
import Prometheus

/// What `PlatformDatabase` knows of its pool's health.
struct PoolState: Sendable {
    var current: PoolGeneration
    var lastLeaseSuccess: ContinuousClock.Instant = .now
    var lastLeaseFailure: ContinuousClock.Instant?
    var lastReplacement: ContinuousClock.Instant = .now
    var leased = 0

    /// Leases fail more recently than they succeed.
    var degraded: Bool { lastLeaseFailure.map { $0 > lastLeaseSuccess } ?? false }
}

/// One `PostgresClient` and its lifetime: it runs until retired, then serves the leases it
/// already handed out for `grace` more, then shuts down.
struct PoolGeneration: Sendable {
    let client: PostgresClient
    private let retired: AsyncStream<Never>
    private let retire: AsyncStream<Never>.Continuation

    init(_ client: PostgresClient) {
        self.client = client
        (retired, retire) = AsyncStream.makeStream(of: Never.self)
    }

    func run(grace: Duration) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            for await _ in retired {}
            try? await Task.sleep(for: grace)
            group.cancelAll()
        }
    }

    func retireNow() { retire.finish() }
}

extension PlatformDatabase {
    /// Every second: when leases are failing but the pool is not merely busy, and PostgreSQL
    /// accepts a direct connection, the pool is stuck in its reconnect backoff: replace it
    /// (at most once every 5 seconds).
    func supervise() async {
        while (try? await Task.sleep(for: .seconds(1))) != nil {
            let eligible = pools.withLockedValue { state in
                state.degraded && state.leased < settings.maximumConnections
                    && ContinuousClock.now - state.lastReplacement > .seconds(5)
            }
            guard eligible, await serverAcceptsConnections() else { continue }
            if (try? await lease(timeout: .milliseconds(500)) { _ in }) == nil { replacePool() }
        }
    }

    /// Whether PostgreSQL accepts a connection of its own, outside the pool.
    func serverAcceptsConnections() async -> Bool {
        guard let configuration = try? settings.connectionConfiguration(),
              let connection = try? await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        else { return false }
        try? await connection.close()
        return true
    }

    /// Swaps in a fresh pool; the old one finishes its leases and shuts down.
    func replacePool() {
        let fresh = PoolGeneration(PostgresClient(configuration: settings.clientConfiguration(), backgroundLogger: logger))
        let old = pools.withLockedValue { state in
            defer {
                state.current = fresh
                state.lastReplacement = .now
            }
            return state.current
        }
        logger.warning("database pool stuck in its reconnect backoff while PostgreSQL accepts connections: replaced it")
        metrics.counter("kisum_db_pool_replacements_total", help: "Connection pools replaced after PostgreSQL came back.").increment()
        spawn.yield(fresh)
        old.retireNow()
    }
}
