import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PlatformTesting
import PostgresNIO
import Testing

@Suite struct PostgresPoolTests {
    @Test func statementTimeoutAndPoolBoundsAreEnforced() async throws {
        let database = try await TestDatabase.create()
        var settings = try PostgresSettings(url: database.runtimeURL)
        settings.statementTimeout = .milliseconds(300)
        settings.maximumConnections = 2
        let metrics = PlatformMetrics()
        let pool = PlatformDatabase(settings: settings, metrics: metrics, logger: Logger(label: "test"))
        let runner = Task { await pool.run() }
        defer { runner.cancel() }
        let logger = Logger(label: "test")

        let start = ContinuousClock.now
        await #expect(throws: (any Error).self) {
            _ = try await pool.query("SELECT pg_sleep(20)", operation: "sleep", logger: logger)
        }
        // The 300 ms statement timeout ends it, not the 20 s sleep (room for a loaded or
        // sanitizer-instrumented run).
        #expect(ContinuousClock.now - start < .seconds(10))

        // Six concurrent sessions on a pool of two: never more than two server connections.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask { _ = try await pool.query("SELECT pg_sleep(0.1)", operation: "nap", logger: logger) }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(50))
                let rows = try await LibPQConnection.run {
                    try LibPQConnection(settings: database.admin).execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND usename = $2",
                        parameters: [database.name, database.runtime.username])
                }
                let count = Int(rows[0][0] ?? "0") ?? 0
                #expect(count >= 1 && count <= 2, "\(count) connections")
            }
            try await group.waitForAll()
        }
        let text = metrics.render()
        #expect(text.contains(#"kisum_db_query_duration_seconds_count{operation="nap",outcome="ok"} 6"#))
        #expect(text.contains(#"kisum_db_query_duration_seconds_count{operation="sleep",outcome="error"} 1"#))
        #expect(metricValue(text, "kisum_db_pool_connections_max") == 2)
    }

    /// Inside `withEnclosingTransaction`, a `withTransaction` joins it: its write commits with
    /// the enclosing one, or is rolled back with it (on a pool of one: no second connection).
    @Test func anEnclosingTransactionIsJoined() async throws {
        let database = try await TestDatabase.create()
        _ = try await database.script("CREATE TABLE marks (n int); GRANT SELECT, INSERT ON marks TO \(database.runtime.username)")
        var settings = try PostgresSettings(url: database.runtimeURL)
        settings.maximumConnections = 1
        let pool = PlatformDatabase(settings: settings, metrics: PlatformMetrics(), logger: Logger(label: "test"))
        let runner = Task { await pool.run() }
        defer { runner.cancel() }
        let logger = Logger(label: "test")
        struct Abandoned: Error {}

        await #expect(throws: Abandoned.self) {
            try await pool.withEnclosingTransaction(logger: logger) { _ in
                try await pool.withTransaction(logger: logger) { connection in
                    _ = try await connection.query("INSERT INTO marks VALUES (1)", logger: logger).collect()
                }
                throw Abandoned()
            }
        }
        try await pool.withEnclosingTransaction(logger: logger) { _ in
            try await pool.withTransaction(logger: logger) { connection in
                _ = try await connection.query("INSERT INTO marks VALUES (2)", logger: logger).collect()
            }
        }
        // A joined transaction that fails is undone alone (its savepoint), even when the caller
        // catches its error; a statement on another connection is refused while it is open;
        // and nothing joins it once it has ended.
        let late = try await pool.withEnclosingTransaction(logger: logger) { _ in
            _ = try? await pool.withTransaction(logger: logger) { connection in
                _ = try await connection.query("INSERT INTO marks VALUES (4)", logger: logger).collect()
                throw Abandoned()
            }
            try await pool.withTransaction(logger: logger) { connection in
                _ = try await connection.query("INSERT INTO marks VALUES (5)", logger: logger).collect()
            }
            await #expect(throws: PlatformError.self) { _ = try await pool.query("SELECT 1", logger: logger) }
            return Task {
                try await Task.sleep(for: .milliseconds(200))
                try await pool.withTransaction(logger: logger) { connection in
                    _ = try await connection.query("INSERT INTO marks VALUES (6)", logger: logger).collect()
                }
            }
        }
        await #expect(throws: PlatformError.self) { try await late.value }
        // Outside an enclosing one, a transaction is its own again.
        try await pool.withTransaction(logger: logger) { connection in
            _ = try await connection.query("INSERT INTO marks VALUES (3)", logger: logger).collect()
        }
        #expect(try await database.rows("SELECT n FROM marks ORDER BY n") == [["2"], ["3"], ["5"]])
    }
}
