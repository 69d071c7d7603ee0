import Foundation

/// A Redis server of the test's own, to kill and restart under a client.
public final class RedisServerProcess: @unchecked Sendable {
    public let port: Int
    private var process: Process?
    private let lock = NSLock()

    public init(port: Int = TestEnvironment.freePort()) {
        self.port = port
    }

    public var url: String { "redis://127.0.0.1:\(port)" }

    /// Starts redis-server and waits until it accepts connections.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.redisServer)
        process.arguments = ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        lock.withLock { self.process = process }
        try await waitForPort(port, open: true)
    }

    /// Kills it (SIGKILL: no goodbye to clients) and waits for the port to close.
    public func kill() async throws {
        let process = lock.withLock { () -> Process? in defer { self.process = nil }; return self.process }
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try await waitForPort(port, open: false)
    }

    deinit {
        if let process, process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}

/// A PostgreSQL cluster of the test's own, to stop and start under a daemon.
public final class PostgresClusterProcess: Sendable {
    public let port: Int
    public let directory: URL

    public init(port: Int = TestEnvironment.freePort()) {
        self.port = port
        self.directory = TestEnvironment.scratch.appendingPathComponent(TestEnvironment.uniqueName("pg"))
    }

    public var superuserURL: String { "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable" }

    /// initdb (first time) and start.
    public func start() async throws {
        let data = directory.appendingPathComponent("data").path
        if !FileManager.default.fileExists(atPath: data) {
            try run("/usr/bin/install", ["-d", "-o", "postgres", "-g", "postgres", directory.path])
            try runAsPostgres("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"])
        }
        try runAsPostgres("pg_ctl", ["-D", data, "-l", directory.appendingPathComponent("log").path, "-w", "-t", "60",
                                     "-o", "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory.path) -c fsync=off", "start"])
    }

    /// Fast shutdown: disconnects every client.
    public func stop() throws {
        try runAsPostgres("pg_ctl", ["-D", directory.appendingPathComponent("data").path, "-m", "fast", "-w", "stop"])
    }

    private func runAsPostgres(_ tool: String, _ arguments: [String]) throws {
        try run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(TestEnvironment.postgresBin)/\(tool)"] + arguments)
    }

    private func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("\(executable) \(arguments.first ?? "") exited \(process.terminationStatus)")
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

func portIsOpen(_ port: Int) -> Bool {
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
