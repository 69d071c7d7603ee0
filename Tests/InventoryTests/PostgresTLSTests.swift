import CanaryService
import Foundation
import PlatformDaemon
import PlatformInventory
import PlatformKit
import PlatformPostgres
import PlatformTesting
import ServiceWorlds
import Testing

/// A daemon against a PostgreSQL that accepts only what the generated dev `pg_hba.conf`
/// allows: TLS, scram-sha-256, each service's roles on its own database. The canary verifies the
/// server with the environment's CA (`sslrootcert`, `verify-full`); plain TCP, the system's trust
/// roots and a wrong password are each refused.
@Suite(.timeLimit(.minutes(3))) struct PostgresTLSTests {
    @Test func aDaemonServesThroughATLSOnlyScramCluster() async throws {
        let cluster = PostgresClusterProcess()
        try await cluster.start()
        do {
            try await Self.exercise(cluster)
        } catch {
            try? await cluster.stop()
            throw error
        }
        try await cluster.stop()
    }

    static func exercise(_ cluster: PostgresClusterProcess) async throws {
        // Provisioned and migrated while the cluster still trusts loopback (as a superuser would, locally).
        let admin = try PostgresSettings(url: cluster.superuserURL)
        let runtimePassword = UUID().uuidString, migratorPassword = UUID().uuidString
        _ = try await LibPQConnection.run {
            try DatabaseProvisioner(admin: admin).provision(database: "kisum_canary", migratorPassword: migratorPassword, runtimePassword: runtimePassword)
        }
        let migrator = admin.with(username: "kisum_canary_migrator", password: migratorPassword, database: "kisum_canary")
        _ = try await LibPQConnection.run { try MigrationRunner(settings: migrator, set: CanaryDaemon.migrations!).migrate() }

        // The server's certificate from the environment's CA; the staging access rules for loopback.
        let tls = cluster.directory.appendingPathComponent("tls")
        let made = try await ChildProcess.run("/bin/bash", [TestEnvironment.root.appendingPathComponent("daemons/tls/make-local-ca").path, tls.path, "localhost"])
        try #require(made.status == 0, "\(made.output)")
        let inventory = try Inventory.load(from: TestEnvironment.root.appendingPathComponent("daemons/inventory.yml"))
        // The canary runs in dev (not staging, whose rules have no line for its roles at all).
        let staging = try #require(inventory.environment("staging")), dev = try #require(inventory.environment("dev"))
        #expect(!PostgresAccessConfiguration(inventory: inventory, environment: staging).hba().contains("kisum_canary"))
        let hba = PostgresAccessConfiguration(inventory: inventory, environment: dev).hba()
            .replacingOccurrences(of: dev.postgres.clients, with: "127.0.0.1/32")
        #expect(hba.contains("hostnossl all"))
        try hba.write(to: tls.appendingPathComponent("pg_hba.conf"), atomically: true, encoding: .utf8)
        let owned = try await ChildProcess.run("/bin/chown", ["-R", "postgres:postgres", tls.path])
        try #require(owned.status == 0, "\(owned.output)")
        try await cluster.stop()
        cluster.setOptions("-c ssl=on -c ssl_cert_file=\(tls.path)/localhost.crt -c ssl_key_file=\(tls.path)/localhost.key "
                           + "-c hba_file=\(tls.path)/pg_hba.conf -c password_encryption=scram-sha-256")
        try await cluster.start()

        let ca = tls.appendingPathComponent("ca.crt").path
        let url = "postgres://kisum_canary_app:\(runtimePassword)@localhost:\(cluster.port)/kisum_canary"
        // Refused: no TLS; the system's trust roots (they do not know this CA); a wrong password.
        for (refused, why) in [("\(url)?sslmode=disable", "plain TCP"), ("\(url)?sslmode=verify-full", "unknown CA"),
                               ("postgres://kisum_canary_app:wrong@localhost:\(cluster.port)/kisum_canary?sslmode=verify-full&sslrootcert=\(ca)", "wrong password")] {
            let settings = try PostgresSettings(url: refused)
            await #expect(throws: (any Error).self, "\(why) was accepted") {
                try await LibPQConnection.run { _ = try LibPQConnection(settings: settings) }
            }
        }
        // The canary, verifying the server with the CA, serves reads and writes.
        var environment = DaemonEnvironment.base(["CANARY_DB_URL": "\(url)?sslmode=verify-full&sslrootcert=\(ca)"])
        environment.merge(DaemonEnvironment.serviceKeys()) { _, new in new }
        let logs = MemoryLogSink()
        let canary = try await Daemon.start(CanaryDaemon.self, environment: environment, sink: logs)
        try await withStopping(canary) { canary in
            let ready = try await TestHTTP.get(canary.managementURL + "/ready")
            let serverLog = (try? String(contentsOf: cluster.directory.appendingPathComponent("log"), encoding: .utf8)) ?? ""
            try #require(ready.status == 200, "\(ready.body)\n\(logs.lines.suffix(8).joined(separator: "\n"))\n\(serverLog.suffix(1500))")
            let created = try await TestHTTP.send("POST", try require(canary.publicURL) + "/v1/notes", headers: [("content-type", "application/json")],
                                                  body: #"{"body":"over TLS"}"#)
            #expect(created.status == 200 || created.status == 201, "\(created.body)")
            let id = try #require(try created.json()["id"] as? Int)
            let read = try await TestHTTP.get(try require(canary.publicURL) + "/v1/notes/\(id)")
            #expect(read.status == 200 && read.body.contains("over TLS"), "\(read.body)")
        }
    }
}
