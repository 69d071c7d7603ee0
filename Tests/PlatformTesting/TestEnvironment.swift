import Foundation
import NIOConcurrencyHelpers

/// The real services `./kisum test` started for this run.
public enum TestEnvironment {
    /// A superuser URL of the throwaway PostgreSQL cluster.
    public static var postgresURL: String { require("KISUM_TEST_PG_URL") }
    /// The throwaway Redis.
    public static var redisURL: String { require("KISUM_TEST_REDIS_URL") }
    /// PostgreSQL's binaries (initdb, pg_ctl) for tests that run a cluster of their own.
    public static var postgresBin: String { ProcessInfo.processInfo.environment["KISUM_TEST_PG_BIN"] ?? "/usr/lib/postgresql/15/bin" }
    /// redis-server, for tests that kill and restart a Redis of their own.
    public static var redisServer: String { ProcessInfo.processInfo.environment["KISUM_TEST_REDIS_SERVER"] ?? "/usr/bin/redis-server" }
    /// A scratch folder removed after the run.
    public static var scratch: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["KISUM_TEST_TMP"] ?? NSTemporaryDirectory(), isDirectory: true)
    }
    /// python3 with jsonschema, PyYAML and openapi-spec-validator (see ./kisum's ensure_python_tools).
    public static var python: String { ProcessInfo.processInfo.environment["KISUM_TEST_PYTHON"] ?? "/usr/bin/python3" }
    /// The repository root (for built binaries and the README).
    public static var root: URL {
        if let root = ProcessInfo.processInfo.environment["KISUM_TEST_ROOT"] { return URL(fileURLWithPath: root, isDirectory: true) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    /// A built executable of this package (from the build folder of this run: `KISUM_TEST_BIN_DIR`).
    public static func binary(_ name: String) -> URL {
        if let folder = ProcessInfo.processInfo.environment["KISUM_TEST_BIN_DIR"], !folder.isEmpty {
            return URL(fileURLWithPath: folder, isDirectory: true).appendingPathComponent(name)
        }
        return root.appendingPathComponent(".build/debug/\(name)")
    }

    static func require(_ name: String) -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            fatalError("\(name) is not set: run the tests with ./kisum test, which starts PostgreSQL and Redis")
        }
        return value
    }

    /// A port nothing listens on right now, never handed out twice in this process. Taken
    /// from below the kernel's ephemeral range (32768–60999): a port from that range can be
    /// picked by a daemon of another test binding port 0 before this test binds it.
    public static func freePort() -> Int {
        issuedPorts.withLockedValue { issued in
            var candidate = Int.random(in: 20_000..<32_000)
            while true {
                candidate = candidate + 1 >= 32_000 ? 20_000 : candidate + 1
                if !issued.contains(candidate) && canBind(candidate) {
                    issued.insert(candidate)
                    return candidate
                }
            }
        }
    }

    private static let issuedPorts = NIOLockedValueBox<Set<Int>>([])

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A unique lowercase name for databases and keys.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
    }
}

/// Polls `condition` every 100 ms until it holds or `limit` passes; whether it held.
public func eventually(within limit: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return false
}
