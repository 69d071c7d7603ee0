import Logging
import _ConnectionPoolModule
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PlatformKit
import PostgresNIO
import Prometheus
import ServiceLifecycle

/// A daemon's connection pool to its own database, with query and pool metrics. Run it as a
/// service in the daemon's `ServiceGroup`; repositories take it.
///
/// Two things PostgresNIO's pool does not do, this does:
/// - every lease has a deadline (`leaseTimeout`): no request waits for a connection for
///   good; past it the caller gets 503 `dependency_unavailable`;
/// - after PostgreSQL restarts, the pool's reconnect backoff (which grows towards 60 s and has
///   no public setting) does not keep the daemon unready: when leases fail while PostgreSQL
///   accepts a direct connection, the pool is replaced by a fresh one (`PoolGeneration`).
public final class PlatformDatabase: Service, Sendable {
    public let settings: PostgresSettings
    let pools: NIOLockedValueBox<PoolState>
    private let spawned: AsyncStream<PoolGeneration>
    let spawn: AsyncStream<PoolGeneration>.Continuation
    private let inUse: Gauge
    let metrics: PlatformMetrics
    let logger: Logger

    public init(settings: PostgresSettings, metrics: PlatformMetrics, logger: Logger) {
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        let first = PoolGeneration(PostgresClient(configuration: settings.clientConfiguration(), backgroundLogger: logger))
        self.pools = NIOLockedValueBox(PoolState(current: first))
        (self.spawned, self.spawn) = AsyncStream.makeStream(of: PoolGeneration.self)
        spawn.yield(first)
        self.inUse = metrics.gauge("kisum_db_pool_connections_in_use", help: "Database connections currently leased from the pool.")
        metrics.gauge("kisum_db_pool_connections_max", help: "Most connections the pool may open.")
            .set(Double(settings.maximumConnections))
    }

    /// Runs the pool (and any pool that replaces it) until graceful shutdown.
    public func run() async {
        await cancelWhenGracefulShutdown { [self] in
            await withDiscardingTaskGroup { group in
                group.addTask { await self.supervise() }
                let grace = self.settings.statementTimeout + self.settings.connectTimeout
                for await generation in self.spawned {
                    group.addTask { await generation.run(grace: grace) }
                }
                group.cancelAll()
            }
        }
    }

    /// Leases a connection for `body`, timing it as one operation named `operation`.
    public func withConnection<Result: Sendable>(
        _ operation: String = "query",
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try refuseBesideEnclosingTransaction()
        return try await measure(operation) {
            try await lease(timeout: settings.leaseTimeout, body)
        }
    }

    /// Runs `body` in a transaction (committed when it returns, rolled back when it throws).
    /// Inside `withEnclosingTransaction` of this database, joins that one instead (under a
    /// savepoint: an error in `body` undoes its own writes, whatever the caller then does).
    public func withTransaction<Result: Sendable>(
        _ operation: String = "transaction",
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        if let enclosing = try enclosingTransaction() {
            return try await enclosing.join(logger: logger, body)
        }
        return try await transaction(operation, logger: logger, body)
    }

    private func transaction<Result: Sendable>(
        _ operation: String, logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await measure(operation) {
            try await lease(timeout: settings.leaseTimeout) { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    let result = try await body(connection)
                    try await connection.query("COMMIT", logger: logger)
                    return result
                } catch {
                    // The body's own error (e.g. a PlatformError) once rolled back. A connection
                    // that cannot roll back is closed rather than handed to the next caller
                    // inside a failed transaction.
                    do {
                        try await connection.query("ROLLBACK", logger: logger)
                    } catch let rollbackError {
                        self.logger.warning("rollback failed: closing the connection", metadata: ["error_detail": .detail(of: rollbackError)])
                        try? await connection.close()
                    }
                    throw error
                }
            }
        }
    }

    /// Runs one query and collects its rows.
    public func query(_ query: PostgresQuery, operation: String = "query", logger: Logger) async throws -> [PostgresRow] {
        try refuseBesideEnclosingTransaction()
        return try await measure(operation) {
            try await lease(timeout: settings.leaseTimeout) { connection in
                try await connection.query(query, logger: logger).collect()
            }
        }
    }

    /// Runs one prepared statement (parsed and planned once per connection, then only bound
    /// and executed) and collects its rows. For the hot statements.
    public func execute<Statement: PostgresPreparedStatement>(
        _ statement: Statement, operation: String, logger: Logger
    ) async throws -> [Statement.Row] where Statement.Row: Sendable {
        try refuseBesideEnclosingTransaction()
        return try await measure(operation) {
            try await lease(timeout: settings.leaseTimeout) { connection in
                var rows: [Statement.Row] = []
                for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
                return rows
            }
        }
    }

    /// A readiness check: a trivial query on a pooled connection.
    public func readinessCheck(timeout: Duration = .seconds(1)) -> ReadinessCheck {
        ReadinessCheck(name: "postgres", critical: true, timeout: timeout) { [self] in
            do {
                _ = try await lease(timeout: timeout) { connection in
                    try await connection.query("SELECT 1", logger: logger).collect()
                }
            } catch {
                throw ReadinessFailure("database unreachable or failing")
            }
        }
    }

    /// Leases a connection from the current pool within `timeout`, runs `body` on it in the
    /// caller's task, and gives it back.
    func lease<Result>(timeout: Duration, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let client = pools.withLockedValue { $0.current.client }
        let handoff = LeaseHandoff()
        let leaser = Task {
            do {
                try await client.withConnection { connection in await handoff.offer(connection) }
            } catch {
                handoff.fail(error)
            }
        }
        let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .nanoseconds(Int64(timeout.milliseconds * 1_000_000))) {
            handoff.fail(PlatformError(.dependencyUnavailable, "The database did not provide a connection in time; retry shortly."))
        }
        let connection: PostgresConnection
        do {
            connection = try await handoff.take()
            timer.cancel()
        } catch {
            timer.cancel()
            leaser.cancel()  // dequeues the request; never awaited (see LeaseHandoff)
            if error is CancellationError { throw error }
            let tripped = (error as? ConnectionPoolError) == .connectionCreationCircuitBreakerTripped
            pools.withLockedValue { state in
                state.lastLeaseFailure = .now
                state.breakerTripped = tripped
            }
            logger.warning("database lease failed", metadata: ["error_detail": .detail(of: error)])
            if error is PlatformError { throw error }
            throw PlatformError(.dependencyUnavailable, "The database is unavailable; retry shortly.")
        }
        pools.withLockedValue { state in
            state.lastLeaseSuccess = .now
            state.breakerTripped = false
            state.leased += 1
        }
        inUse.increment()
        defer {
            inUse.decrement()
            pools.withLockedValue { $0.leased -= 1 }
            handoff.done()
        }
        return try await body(connection)
    }

    private func measure<Result>(_ operation: String, _ body: () async throws -> Result) async throws -> Result {
        let start = ContinuousClock.now
        do {
            let result = try await body()
            record(operation, outcome: "ok", since: start)
            return result
        } catch {
            record(operation, outcome: "error", since: start)
            throw error
        }
    }

    private func record(_ operation: String, outcome: String, since start: ContinuousClock.Instant) {
        metrics.latency("kisum_db_query_duration_seconds", help: "Database operation latency, by operation and outcome.", labels: [("operation", operation), ("outcome", outcome)]).record(ContinuousClock.now - start)
    }
}
