import Foundation
import NIOPosix

/// Child processes for tests, spawned with `posix_spawn` and reaped with `waitpid` on a
/// thread pool of their own, so no wait ever blocks the Swift concurrency pool (on two
/// cores a blocked cooperative thread stalls every other test). Output goes to a file, not a
/// pipe: a child that leaves a daemon behind (`pg_ctl start`) would hold a pipe open forever.
/// Children inherit only stdin, stdout and stderr.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    /// Where stdout and stderr went.
    public let outputFile: URL

    private static let waiters: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    private init(pid: pid_t, outputFile: URL) {
        self.pid = pid
        self.outputFile = outputFile
    }

    /// Starts `executable` with `arguments`; `environment` replaces the inherited one when given.
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                             stdinFile: String = "/dev/null") throws -> ChildProcess {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kisum-child-\(UUID().uuidString).log")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinFile, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else is inherited: a child holding a copy of a daemon's listening socket
        // (nginx started after a test daemon bound its port) keeps that port accepting
        // connections nobody answers after the daemon has closed it.
        _ = Self.closeFrom(&actions, 3)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = variables.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard status == 0 else { throw TestFailure("cannot spawn \(executable): errno \(status)") }
        return ChildProcess(pid: pid, outputFile: output)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which the Glibc module does
    /// not import; SwiftNIO's sockets are not close-on-exec, so this is what keeps them here.
    private static let closeFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            fatalError("glibc 2.34 or later is needed (posix_spawn_file_actions_addclosefrom_np)")
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Runs to completion; returns the exit status and the combined output.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: String? = nil,
                           environment: [String: String]? = nil) async throws -> (status: Int32, output: String) {
        var stdinFile = "/dev/null"
        if let input {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("kisum-stdin-\(UUID().uuidString)")
            try input.write(to: file, atomically: true, encoding: .utf8)
            stdinFile = file.path
        }
        defer { if input != nil { try? FileManager.default.removeItem(atPath: stdinFile) } }
        let child = try spawn(executable, arguments, environment: environment, stdinFile: stdinFile)
        let status = await child.exitStatus()
        return (status, child.output)
    }

    /// Waits for the child to exit; its exit code, or 128 + signal.
    public func exitStatus() async -> Int32 {
        let pid = self.pid
        return (try? await Self.waiters.runIfActive {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let signal = status & 0x7f
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal
        }) ?? -1
    }

    /// Sends `signal` (SIGTERM by default).
    public func signal(_ signal: Int32 = SIGTERM) { kill(pid, signal) }

    /// Everything written so far to stdout and stderr.
    public var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }

    deinit { try? FileManager.default.removeItem(at: outputFile) }
}
