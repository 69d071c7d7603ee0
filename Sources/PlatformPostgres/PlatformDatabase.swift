import Logging
import PlatformKit
import PostgresNIO
import Prometheus
import ServiceLifecycle

/// A daemon's connection pool to its own database, with query and pool metrics. Run it as a
/// service in the daemon's `ServiceGroup`; repositories take it (or its `client`).
public final class PlatformDatabase: Service, Sendable {
    public let client: PostgresClient
    public let settings: PostgresSettings
    private let inUse: Gauge
    private let metrics: PlatformMetrics

    public init(settings: PostgresSettings, metrics: PlatformMetrics, logger: Logger) {
        self.settings = settings
        self.metrics = metrics
        self.client = PostgresClient(configuration: settings.clientConfiguration(), backgroundLogger: logger)
        self.inUse = metrics.gauge("kisum_db_pool_connections_in_use", help: "Database connections currently leased from the pool.")
        metrics.gauge("kisum_db_pool_connections_max", help: "Most connections the pool may open.")
            .set(Double(settings.maximumConnections))
    }

    public func run() async {
        await client.run()
    }

    /// Leases a connection for `body`, timing it as one operation named `operation`.
    public func withConnection<Result: Sendable>(
        _ operation: String = "query",
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await measure(operation) {
            try await client.withConnection { connection in
                inUse.increment()
                defer { inUse.decrement() }
                return try await body(connection)
            }
        }
    }

    /// Runs `body` in a transaction (committed when it returns, rolled back when it throws).
    public func withTransaction<Result: Sendable>(
        _ operation: String = "transaction",
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await measure(operation) {
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    inUse.increment()
                    defer { inUse.decrement() }
                    return try await body(connection)
                }
            } catch let error as PostgresTransactionError {
                // The body's own error (e.g. a PlatformError) once the transaction rolled back;
                // otherwise the transaction failure itself.
                if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
                throw error
            }
        }
    }

    /// Runs one query and collects its rows.
    public func query(_ query: PostgresQuery, operation: String = "query", logger: Logger) async throws -> [PostgresRow] {
        try await measure(operation) {
            try await client.query(query, logger: logger).collect()
        }
    }

    /// A readiness check: a trivial query on a pooled connection.
    public func readinessCheck(timeout: Duration = .seconds(1)) -> ReadinessCheck {
        ReadinessCheck(name: "postgres", critical: true, timeout: timeout) { [client] in
            do {
                _ = try await client.query("SELECT 1", logger: Logger(label: "readiness")).collect()
            } catch {
                throw ReadinessFailure("database unreachable or failing")
            }
        }
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
