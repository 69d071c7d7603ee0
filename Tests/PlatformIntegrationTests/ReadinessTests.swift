import Foundation
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PlatformTesting
import Testing

/// Stops PostgreSQL and Redis under a running daemon and watches `/ready`.
@Suite struct ReadinessTests {
    @Test func readinessFollowsPostgresAndRedis() async throws {
        let cluster = PostgresClusterProcess()
        try await cluster.start()
        let admin = try PostgresSettings(url: cluster.superuserURL)
        _ = try await LibPQConnection.run {
            try DatabaseProvisioner(admin: admin).provision(database: "probe", migratorPassword: "m", runtimePassword: "r")
        }
        let redis = RedisServerProcess()
        try await redis.start()

        let daemon = try await Daemon.start(ProbeDaemon.self, environment: DaemonEnvironment.base([
            "PROBE_DB_URL": "postgres://probe_app:r@127.0.0.1:\(cluster.port)/probe?sslmode=disable",
            "PROBE_DB_CONNECT_TIMEOUT": "500ms",
            "REDIS_URL": redis.url,
        ]), sink: MemoryLogSink())
        let ready = daemon.managementURL + "/ready"
        // The first connections may take a moment on a loaded machine.
        #expect(try await eventually(within: .seconds(15)) { try await TestHTTP.get(ready).status == 200 })

        // PostgreSQL stops: 503 bounded by the check timeout (1 s) rather than by TCP or pool
        // waits, naming the failed check. The bound is generous: the full suite loads 2 cores.
        try await cluster.stop()
        let down = try await timed { try await TestHTTP.get(ready) }
        #expect(down.value.status == 503)
        #expect(down.elapsed < .seconds(10))
        let failed = try #require((try down.value.json()["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "postgres" })
        #expect(failed["status"] as? String == "fail")
        #expect(try await TestHTTP.get(daemon.managementURL + "/health").status == 200)  // liveness is unaffected

        try await cluster.start()
        // PostgresNIO backs off reconnecting while the server is down; allow for a loaded machine.
        #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(ready).status == 200 })

        // Redis (required by this daemon) dies: 503; back: 200.
        try await redis.kill()
        let redisDown = try await timed { try await TestHTTP.get(ready) }
        #expect(redisDown.value.status == 503)
        #expect(redisDown.elapsed < .seconds(10))
        try await redis.start()
        #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(ready).status == 200 })
        try await daemon.shutdown()
        try await redis.kill()
        try await cluster.stop()
    }
}

/// The value and how long it took.
func timed<Value>(_ body: () async throws -> Value) async throws -> (value: Value, elapsed: Duration) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, ContinuousClock.now - start)
}
