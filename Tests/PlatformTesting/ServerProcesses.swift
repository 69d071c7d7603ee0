import Foundation
import NIOConcurrencyHelpers

/// A Redis server of the test's own, to kill and restart under a client.
public final class RedisServerProcess: Sendable {
    public let port: Int
    private let child = NIOLockedValueBox<ChildProcess?>(nil)

    public init(port: Int = TestEnvironment.freePort()) {
        self.port = port
    }

    public var url: String { "redis://127.0.0.1:\(port)" }

    /// Starts redis-server and waits until it accepts connections.
    public func start() async throws {
        let process = try ChildProcess.spawn(TestEnvironment.redisServer, [
            "--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no",
        ])
        child.withLockedValue { $0 = process }
        // Recorded so ./kisum test can reap it even if this test process dies.
        let pids = TestEnvironment.scratch.appendingPathComponent("pids")
        try? FileManager.default.createDirectory(at: pids, withIntermediateDirectories: true)
        try? String(process.pid).write(to: pids.appendingPathComponent("redis-\(port).pid"), atomically: true, encoding: .utf8)
        try await waitForPort(port, open: true)
    }

    /// Kills it (SIGKILL: no goodbye to clients) and waits for the port to close.
    public func kill() async throws {
        guard let process = child.withLockedValue({ current in defer { current = nil }; return current }) else { return }
        process.signal(SIGKILL)
        _ = await process.exitStatus()
        try await waitForPort(port, open: false)
    }

    deinit {
        child.withLockedValue { $0?.signal(SIGKILL) }
    }
}

/// A PostgreSQL cluster of the test's own, to stop and start under a daemon.
public final class PostgresClusterProcess: Sendable {
    public let port: Int
    public let directory: URL
    /// Server settings added at every start (`-c name=value …`), e.g. TLS and an hba file.
    private let options = NIOLockedValueBox("")

    public init(port: Int = TestEnvironment.freePort()) {
        self.port = port
        self.directory = TestEnvironment.scratch.appendingPathComponent(TestEnvironment.uniqueName("pg"))
    }

    /// The data directory (owned by the postgres user).
    public var data: URL { directory.appendingPathComponent("data") }

    /// Settings for the next starts, as `-c name=value` options.
    public func setOptions(_ text: String) { options.withLockedValue { $0 = text } }

    public var superuserURL: String { "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable" }

    /// initdb (first time) and start.
    public func start() async throws {
        let data = directory.appendingPathComponent("data").path
        if !FileManager.default.fileExists(atPath: data) {
            try await run("/usr/bin/install", ["-d", "-o", "postgres", "-g", "postgres", directory.path])
            try await runAsPostgres("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"])
        }
        try await runAsPostgres("pg_ctl", ["-D", data, "-l", directory.appendingPathComponent("log").path, "-w", "-t", "60",
                                     "-o", "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory.path) -c fsync=off \(options.withLockedValue { $0 })",
                                     "start"])
    }

    /// Fast shutdown: disconnects every client.
    public func stop() async throws {
        try await runAsPostgres("pg_ctl", ["-D", directory.appendingPathComponent("data").path, "-m", "fast", "-w", "stop"])
    }

    private func runAsPostgres(_ tool: String, _ arguments: [String]) async throws {
        try await run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(TestEnvironment.postgresBin)/\(tool)"] + arguments)
    }

    private func run(_ executable: String, _ arguments: [String]) async throws {
        let result = try await ChildProcess.run(executable, arguments)
        guard result.status == 0 else {
            throw TestFailure("\(executable) \(arguments.joined(separator: " ")) exited \(result.status): \(result.output)")
        }
    }
}

/// A TCP port that accepts connections (the kernel completes the handshake) but never
/// reads or answers: what a hung or black-holed dependency looks like.
public final class BlackholeListener: Sendable {
    public let port: Int
    private let fd: Int32

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
                bind(fd, raw, length) == 0 && listen(fd, 128) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw TestFailure("cannot open a blackhole listener")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

/// A test's own failure with a message.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Waits (up to 10 s) until `port` accepts connections, or until it no longer does.
public func waitForPort(_ port: Int, open: Bool) async throws {
    for _ in 0..<200 {
        if portIsOpen(port) == open { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestFailure("port \(port) did not become \(open ? "open" : "closed")")
}

public func portIsOpen(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
