import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PlatformTesting
import PostgresNIO
import Testing

/// Waits on the database are bounded, and a restart of PostgreSQL costs seconds, not the
/// minute PostgresNIO's reconnect backoff grows to.
@Suite struct PostgresRecoveryTests {
    @Test func aLeaseOnABusyPoolEndsAtItsDeadline() async throws {
        let database = try await TestDatabase.create()
        var settings = try PostgresSettings(url: database.runtimeURL)
        settings.maximumConnections = 1
        settings.leaseTimeout = .seconds(3)
        settings.statementTimeout = .seconds(30)
        let pool = PlatformDatabase(settings: settings, metrics: PlatformMetrics(), logger: Logger(label: "test"))
        let runner = Task { await pool.run() }
        defer { runner.cancel() }
        let logger = Logger(label: "test")

        // The only connection is busy (for up to 25 s; ended below once the point is made).
        let holder = Task { try? await pool.query("SELECT pg_sleep(25)", operation: "hold", logger: logger) }
        func holding() async throws -> Bool {
            let rows = try await LibPQConnection.run {
                try LibPQConnection(settings: database.admin).execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep(25)%'",
                    parameters: [database.name])
            }
            return rows.first?.first == "1"
        }
        try #require(try await eventually(within: .seconds(20)) { try await holding() }, "the premise: the only connection is busy")
        let start = ContinuousClock.now
        let error = await #expect(throws: PlatformError.self) {
            try await withDeadline(.seconds(20)) { _ = try await pool.query("SELECT 1", logger: logger) }
        }
        #expect(error?.code == .dependencyUnavailable)
        #expect(ContinuousClock.now - start < .seconds(15), "the lease waited \(ContinuousClock.now - start)")
        try #require(try await holding(), "the premise: the connection was busy the whole time")
        _ = try await LibPQConnection.run {
            try LibPQConnection(settings: database.admin).execute(
                "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep(25)%'",
                parameters: [database.name])
        }
        _ = await holder.value
        // The pool is whole again: the abandoned request did not take the connection away.
        #expect(try await eventually(within: .seconds(15)) { try await pool.query("SELECT 1", logger: logger).count == 1 })
    }

    @Test func readyWithinSecondsAfterPostgresComesBackFromALongOutage() async throws {
        let cluster = PostgresClusterProcess()
        try await cluster.start()
        var settings = try PostgresSettings(url: cluster.superuserURL)
        settings.leaseTimeout = .milliseconds(500)
        settings.connectTimeout = .milliseconds(500)
        let metrics = PlatformMetrics()
        let pool = PlatformDatabase(settings: settings, metrics: metrics, logger: Logger(label: "test"))
        let runner = Task { await pool.run() }
        defer { runner.cancel() }
        let ready = pool.readinessCheck(timeout: .seconds(1))
        #expect(try await eventually(within: .seconds(20)) { (try? await ready.probe()) != nil })

        // 75 s down with traffic: PostgresNIO's backoff between attempts grows past 15 s and
        // its own breaker trips (at 60 s), so without recovery the wait after the restart is
        // anywhere up to that.
        try await cluster.stop()
        let outage = ContinuousClock.now + .seconds(75)
        while ContinuousClock.now < outage {
            #expect((try? await ready.probe()) == nil)
            try await Task.sleep(for: .milliseconds(500))
        }
        try await cluster.start()
        let back = ContinuousClock.now
        #expect(try await eventually(within: .seconds(40)) { (try? await ready.probe()) != nil })
        let recovery = ContinuousClock.now - back
        #expect(recovery < .seconds(6), "ready again only after \(recovery)")
        try await cluster.stop()
    }
}
