import ArgumentParser
import ConsoleModel
import HTTPTypes
import Foundation
import NIOCore
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import ServiceAuth

/// `kisum-ops local …`: what `./kisum up` runs to wire up the local platform.
struct LocalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local", abstract: "Set up and inspect the local platform (used by ./kisum).",
        subcommands: [Setup.self, Services.self, Wait.self, Seed.self, Status.self])

    struct Setup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Provision and migrate every database, generate secrets and write environment files.")

        @Option var state: String
        @Option var postgresPort: Int
        @Option var redisPort: Int

        func run() async throws {
            let local = LocalState(path: state)
            let topology = LocalState.topology()
            let admin = PostgresSettings(host: "127.0.0.1", port: postgresPort, username: "postgres", password: nil,
                                         database: "postgres", sslMode: .disable)
            // Every caller's key first: callees trust callers' public keys.
            // Keys for every caller the network matrix names, including services not built yet
            // (the seed signs as admin, exactly as the Admin backend will).
            var publicKeys: [String: String] = [:]
            let callers = Set(DaemonCatalog.all.flatMap { NetworkPolicy.callers(of: $0.descriptor.name) })
                .union(DaemonCatalog.all.filter { $0.descriptor.callsServices }.map { $0.descriptor.name })
            for caller in callers.sorted() {
                publicKeys[caller] = try local.serviceKey(for: caller).publicBase64
            }
            var credentials: [String: [String: String]] = [
                "cluster": ["postgres_admin_url": "postgres://postgres@127.0.0.1:\(postgresPort)/postgres?sslmode=disable",
                            "redis_url": "redis://127.0.0.1:\(redisPort)"],
            ]
            for app in DaemonCatalog.all {
                let descriptor = app.descriptor
                var environment: [String: String] = ["KISUM_ENV": "local", "LOG_LEVEL": "info", "KISUM_INSTANCE": "local"]
                if let prefix = descriptor.databasePrefix, let migrations = app.migrations {
                    let database = "kisum_\(descriptor.name)"
                    let migratorPassword = try local.secret("\(descriptor.name).db-migrator-password")
                    let runtimePassword = try local.secret("\(descriptor.name).db-runtime-password")
                    let roles = try await LibPQConnection.run {
                        try DatabaseProvisioner(admin: admin).provision(
                            database: database, migratorPassword: migratorPassword, runtimePassword: runtimePassword)
                    }
                    let migrator = admin.with(username: roles.migrator, password: migratorPassword, database: database)
                    let applied = try await LibPQConnection.run { try MigrationRunner(settings: migrator, set: migrations).migrate() }
                    print("  \(descriptor.name): database \(database) ready, \(applied.count) migration(s) applied")
                    let url = "postgres://\(roles.runtime):\(runtimePassword)@127.0.0.1:\(postgresPort)/\(database)?sslmode=disable"
                    environment["\(prefix)_DB_URL_FILE"] = try local.writeSecret("\(descriptor.name).db-url", url)
                    let migratorURL = "postgres://\(roles.migrator):\(migratorPassword)@127.0.0.1:\(postgresPort)/\(database)?sslmode=disable"
                    environment["\(prefix)_MIGRATION_DB_URL_FILE"] = try local.writeSecret("\(descriptor.name).db-migration-url", migratorURL)
                }
                if descriptor.redis != .none { environment["REDIS_URL"] = "redis://127.0.0.1:\(redisPort)" }
                if descriptor.callsServices {
                    _ = try local.serviceKey(for: descriptor.name)
                    environment["INTERNAL_SIGNING_KEY_FILE"] = local.secrets.appendingPathComponent("\(descriptor.name).service-key").path
                }
                if descriptor.servesInternalRoutes {
                    environment["INTERNAL_TRUSTED_KEYS"] = NetworkPolicy.callers(of: descriptor.name).sorted()
                        .compactMap { caller in publicKeys[caller].map { "\(caller)=\($0)" } }
                        .joined(separator: ",")
                }
                if descriptor.access != .none {
                    // Enforcing daemons follow the local Auth (the defaults of required keys match; optional ones need it said).
                    environment.merge(topology.accessEnvironment) { _, new in new }
                    environment["JWT_AUDIENCE"] = "kisum"
                }
                for (name, generate) in app.localSecrets() {
                    _ = try local.secret("\(descriptor.name).\(name.lowercased())", make: generate)
                    environment["\(name)_FILE"] = local.secrets.appendingPathComponent("\(descriptor.name).\(name.lowercased())").path
                }
                environment.merge(app.localEnvironment(topology: topology)) { _, new in new }
                var entry = environment.filter { $0.key.hasSuffix("_FILE") }
                entry["env_file"] = local.environmentFiles.appendingPathComponent("\(descriptor.name).env").path
                credentials[descriptor.name] = entry
                let lines = environment.keys.sorted().map { "\($0)=\(Self.shellQuoted(environment[$0]!))" }
                try FileManager.default.createDirectory(at: local.environmentFiles, withIntermediateDirectories: true)
                let file = local.environmentFiles.appendingPathComponent("\(descriptor.name).env")
                _ = FileManager.default.createFile(atPath: file.path, contents: Data((lines.joined(separator: "\n") + "\n").utf8),
                                               attributes: [.posixPermissions: 0o600])
            }
            // Where every local credential is (paths, not values; the local cluster trusts loopback).
            let data = try JSONEncoder.platform.encode(credentials)
            _ = FileManager.default.createFile(atPath: local.root.appendingPathComponent("credentials.json").path,
                                               contents: data, attributes: [.posixPermissions: 0o600])
            // What the console and `kisum-ops status` watch: every daemon's management listener.
            let targets = DaemonCatalog.all.map { app in
                Target(service: app.descriptor.name, instance: "local", managementURL: topology.managementURLs[app.descriptor.name]!,
                       publicURL: topology.publicURLs[app.descriptor.name])
            }
            try TargetInventory(environment: "local", targets: targets)
                .write(to: local.root.appendingPathComponent(TargetInventory.fileName))
        }

        static func shellQuoted(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
    }

    struct Services: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the daemons, one per line.")
        func run() { DaemonCatalog.all.forEach { print($0.descriptor.name) } }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Wait until every daemon reports ready.")
        @Option var state: String
        @Option var timeout: String = "60s"

        func run() async throws {
            let limit = Duration(configText: timeout) ?? .seconds(60)
            let deadline = ContinuousClock.now + limit
            let topology = LocalState.topology()
            for app in DaemonCatalog.all {
                let name = app.descriptor.name
                while await LocalProbe.readiness(topology.managementURLs[name]!) != "ready" {
                    guard ContinuousClock.now < deadline else {
                        throw LocalError("\(name) is not ready after \(timeout); see \(state)/logs/\(name).log")
                    }
                    try await Task.sleep(for: .milliseconds(250))
                }
            }
        }
    }

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Insert demo data (idempotent).")
        @Option var state: String

        func run() async throws {
            let root = URL(fileURLWithPath: state, isDirectory: true)
            for app in DaemonCatalog.all { try await app.seedDemoData(topology: LocalState.topology(), state: root) }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every daemon's URLs, pid and readiness.")
        @Option var state: String
        @Flag var json = false

        func run() async throws {
            let topology = LocalState.topology()
            var rows: [LocalProbe.DaemonStatus] = []
            for app in DaemonCatalog.all {
                let name = app.descriptor.name
                let pidText = try? String(contentsOfFile: "\(state)/run/\(name).pid", encoding: .utf8)
                let pid = pidText.flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                let alive = pid.map { kill($0, 0) == 0 } ?? false
                rows.append(.init(service: name, publicURL: topology.publicURLs[name], managementURL: topology.managementURLs[name]!,
                                  pid: alive ? pid : nil, readiness: await LocalProbe.readiness(topology.managementURLs[name]!)))
            }
            let report = LocalProbe.StatusReport(daemons: rows, credentialsFile: "\(state)/credentials.json",
                                                 logs: "\(state)/logs")
            if json {
                print(String(decoding: try JSONEncoder.platform.encode(report), as: UTF8.self))
                return
            }
            for row in rows {
                print("\(row.service.padding(toLength: 10, withPad: " ", startingAt: 0)) \(row.readiness.padding(toLength: 12, withPad: " ", startingAt: 0)) public \(row.publicURL ?? "-")  management \(row.managementURL)  pid \(row.pid.map(String.init) ?? "-")")
            }
            print("credentials: \(report.credentialsFile)\nlogs: \(report.logs)")
        }
    }
}

/// Reads a daemon's readiness over HTTP.
enum LocalProbe {
    struct DaemonStatus: Codable {
        let service: String
        let publicURL: String?
        let managementURL: String
        let pid: Int32?
        let readiness: String

        enum CodingKeys: String, CodingKey {
            case service, pid, readiness
            case publicURL = "public_url"
            case managementURL = "management_url"
        }
    }

    struct StatusReport: Codable {
        let daemons: [DaemonStatus]
        let credentialsFile: String
        let logs: String

        enum CodingKeys: String, CodingKey {
            case daemons, logs
            case credentialsFile = "credentials_file"
        }
    }

    /// `ready`, `not_ready` or `down`.
    static func readiness(_ managementURL: String) async -> String {
        do {
            let reply = try await ServiceHTTPClient(callee: "probe", baseURL: managementURL, timeout: .seconds(2)).send(.get, "/ready")
            return reply.status == 200 ? "ready" : "not_ready"
        } catch {
            return "down"
        }
    }
}
