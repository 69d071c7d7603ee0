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
    /// The last lease failed because the pool gave up connecting (its own breaker, after 60 s
    /// of failures): it is certainly stuck, not slow.
    var breakerTripped = false

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
    /// Every second: when leases are failing, none is held (a busy pool holds some) and
    /// PostgreSQL accepts a direct connection, the pool may be stuck in its reconnect backoff.
    /// It is replaced (at most once every 10 seconds) when its own breaker refused the last
    /// lease, or when three probe leases in a row fail: a loaded machine can make one lease
    /// slow, but not a direct connection succeed while three pooled leases fail.
    func supervise() async {
        var failedProbes = 0
        while (try? await Task.sleep(for: .seconds(1))) != nil {
            let eligible = pools.withLockedValue { state in
                state.degraded && state.leased == 0 && ContinuousClock.now - state.lastReplacement > .seconds(10)
            }
            guard eligible, await serverAcceptsConnections() else {
                failedProbes = 0
                continue
            }
            if pools.withLockedValue({ $0.breakerTripped }) {
                failedProbes = 0
                replacePool()
            } else if (try? await lease(timeout: .seconds(1)) { _ in }) != nil {
                failedProbes = 0
            } else {
                failedProbes += 1
                if failedProbes >= 3 {
                    failedProbes = 0
                    replacePool()
                }
            }
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
            state.breakerTripped = false
            return state.current
        }
        logger.warning("database pool stuck in its reconnect backoff while PostgreSQL accepts connections: replaced it")
        metrics.counter("kisum_db_pool_replacements_total", help: "Connection pools replaced after PostgreSQL came back.").increment()
        spawn.yield(fresh)
        old.retireNow()
    }
}
