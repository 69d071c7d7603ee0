import CanaryService
import Foundation
import PlatformDaemon
import PlatformInventory
import PlatformKit
import PlatformTesting
import ServiceWorlds
import Testing

/// The generated Redis configuration and users in a real redis-server: the default user is off,
/// each service reaches only its own keys with only the commands the platform sends, and the
/// canary works as its user.
@Suite(.timeLimit(.minutes(2))) struct RedisACLTests {
    @Test func eachServiceReachesOnlyItsOwnKeys() async throws {
        let inventory = try Inventory.load(from: TestEnvironment.root.appendingPathComponent("daemons/inventory.yml"))
        let local = try #require(inventory.environment("local"))
        let redis = RedisConfiguration(inventory: inventory, environment: local)
        let folder = TestEnvironment.scratch.appendingPathComponent("redis-acl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Provisioning appends each user's password (here in clear; from the secret store, a hash).
        let acl = redis.acl().split(separator: "\n").map { line -> String in
            guard line.hasPrefix("user kisum-") else { return String(line) }
            let user = line.split(separator: " ")[1]
            return "\(line) >pw-\(user)"
        }.joined(separator: "\n") + "\n"
        try acl.write(to: folder.appendingPathComponent("users.acl"), atomically: true, encoding: .utf8)
        let port = TestEnvironment.freePort()
        let settings = redis.settings(aclFile: folder.appendingPathComponent("users.acl").path)
            .replacingOccurrences(of: "port 6379", with: "port \(port)")
        try settings.write(to: folder.appendingPathComponent("redis.conf"), atomically: true, encoding: .utf8)
        let server = try ChildProcess.spawn(TestEnvironment.redisServer, [folder.appendingPathComponent("redis.conf").path])
        defer { server.signal(SIGKILL) }
        try await waitForPort(port, open: true)

        func cli(_ user: String?, _ arguments: [String]) async throws -> String {
            let login = user.map { ["--user", $0, "--pass", "pw-\($0)", "--no-auth-warning"] } ?? []
            return try await ChildProcess.run("/usr/bin/redis-cli", ["-p", String(port)] + login + arguments).output
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let anonymous = try await cli(nil, ["PING"])
        #expect(anonymous.contains("NOAUTH") || anonymous.contains("NOPERM"), "the default user answered: \(anonymous)")
        #expect(try await cli("kisum-auth", ["SET", "access:v3:x", "1", "EX", "60"]) == "OK")
        #expect(try await cli("kisum-auth", ["EVAL", "return redis.call('INCR', KEYS[1])", "1", "ratelimit:login:ip:x"]) == "1")
        #expect(try await cli("kisum-auth", ["GET", "canary:note:1"]).contains("NOPERM"))
        #expect(try await cli("kisum-auth", ["EVAL", "return redis.call('INCR', KEYS[1])", "1", "canary:x"]).contains("NOPERM"))
        #expect(try await cli("kisum-canary", ["GET", "access:v3:x"]).contains("NOPERM"))
        for forbidden in [["FLUSHALL"], ["CONFIG", "GET", "*"], ["KEYS", "*"], ["ACL", "LIST"]] {
            #expect(try await cli("kisum-auth", forbidden).contains("NOPERM"), "\(forbidden)")
        }
        #expect(try await cli("kisum-operator", ["CONFIG", "GET", "maxmemory-policy"]).contains("allkeys-lru"))
        #expect(try await cli("kisum-operator", ["CONFIG", "GET", "appendonly"]).contains("no"))

        // The canary as its own user: a note read fills its cache entry.
        let database = try await TestDatabase.create(migrations: CanaryDaemon.migrations!)
        _ = try await database.script("INSERT INTO canary_notes (body) VALUES ('cached')")
        var environment = DaemonEnvironment.base(["CANARY_DB_URL": database.runtimeURL,
                                                  "REDIS_URL": "redis://kisum-canary:" + "pw-kisum-canary" + "@127.0.0.1:\(port)"])
        environment.merge(DaemonEnvironment.serviceKeys()) { _, new in new }
        let canary = try await Daemon.start(CanaryDaemon.self, environment: environment, sink: MemoryLogSink())
        try await withStopping(canary) { canary in
            let read = try await TestHTTP.get(try require(canary.publicURL) + "/v1/notes/1")
            #expect(read.status == 200, "\(read.body)")
            var cached = ""
            for _ in 0..<50 where cached.isEmpty {
                cached = try await cli("kisum-operator", ["--scan", "--pattern", "canary:*"])
                if cached.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(cached.contains("canary:note:1"), "the canary could not fill its cache as kisum-canary")
        }
    }
}
