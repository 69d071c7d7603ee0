import Foundation
import PlatformDaemon
import PlatformKit

/// Runs `body` with `resource`, then always stops it and waits (at most `limit`); throws `body`'s error, else a failed stop's.
@discardableResult
public func withStopping<Resource: Sendable, Value>(
    _ resource: Resource, within limit: Duration = .seconds(60),  // a backstop: a daemon's own 45 s shutdown deadline fires first
    stop: @escaping @Sendable (Resource) async throws -> Void,
    _ body: (Resource) async throws -> Value
) async throws -> Value {
    let outcome: Result<Value, any Error>
    do { outcome = .success(try await body(resource)) } catch { outcome = .failure(error) }
    // A task of its own, so that the stop runs to its end (and is waited for) even in a cancelled test.
    let stopping = Task { try await withDeadline(limit) { try await stop(resource) } }
    do {
        try await stopping.value
    } catch {
        let failure = TestFailure("stopping \(Resource.self) failed: \(error)")
        guard case .failure = outcome else { throw failure }
        // The body's error is the one reported; leave a trace of this one too.
        FileHandle.standardError.write(Data("\(failure) (after the test had failed)\n".utf8))
    }
    return try outcome.get()
}

/// Runs `body` with `daemon`, then shuts it down gracefully and waits, as `withStopping(_:within:stop:_:)`.
@discardableResult
public func withStopping<Value>(_ daemon: RunningDaemon, _ body: (RunningDaemon) async throws -> Value) async throws -> Value {
    try await withStopping(daemon, stop: { try await $0.shutdown() }, body)
}

/// Shuts `daemons` down in this order, each even when an earlier one failed; throws the first failure.
public func shutdownAll(_ daemons: [RunningDaemon]) async throws {
    var failure: (any Error)?
    for daemon in daemons {
        do { try await daemon.shutdown() } catch { failure = failure ?? error }
    }
    if let failure { throw failure }
}

extension Daemon {
    /// Starts `app` in this process, runs `body` with it, then shuts it down and waits (see `withStopping`).
    @discardableResult
    public static func with<App: DaemonApplication, Value>(
        _ app: App.Type, environment: [String: String], sink: any LogSink = StandardOutputLogSink(),
        _ body: (RunningDaemon) async throws -> Value
    ) async throws -> Value {
        let daemon = try await start(app, environment: environment, sink: sink)
        return try await withStopping(daemon, body)
    }
}
