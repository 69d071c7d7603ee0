import NIOConcurrencyHelpers
import PlatformKit
import ServiceLifecycle

/// A daemon running in this process: its bound ports and a way to stop it.
public final class RunningDaemon: Sendable {
    public let name: String
    public let publicPort: Int?
    public let managementPort: Int
    public let metrics: PlatformMetrics
    /// "METHOD /path" of every route on the management listener (to check API documents).
    public let managementRoutes: [String]
    /// "METHOD /path" of every route on the public listener.
    public let publicRoutes: [String]
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let progress: ServiceProgress

    init(name: String, publicPort: Int?, managementPort: Int, group: ServiceGroup, task: Task<Void, any Error>,
         progress: ServiceProgress, metrics: PlatformMetrics, managementRoutes: [String], publicRoutes: [String]) {
        self.managementRoutes = managementRoutes
        self.publicRoutes = publicRoutes
        self.name = name
        self.publicPort = publicPort
        self.managementPort = managementPort
        self.group = group
        self.task = task
        self.progress = progress
        self.metrics = metrics
    }

    public var publicURL: String? { publicPort.map { "http://127.0.0.1:\($0)" } }
    public var managementURL: String { "http://127.0.0.1:\(managementPort)" }

    /// Graceful shutdown, as on SIGTERM; returns when every service has stopped, or throws
    /// `ShutdownOverran` naming the services still running after `limit` (they are then
    /// cancelled, not waited for).
    public func shutdown(within limit: Duration = .seconds(45)) async throws {
        await group.triggerGracefulShutdown()
        let task = self.task
        do {
            try await withDeadline(limit) { try await task.value }
        } catch is DeadlineExceeded {
            let stillRunning = progress.stillRunning
            task.cancel()
            throw ShutdownOverran(daemon: name, limit: limit, stillRunning: stillRunning)
        }
    }
}

/// Collects the ports the listeners actually bound (port 0 picks a free one).
final class PortReporter: Sendable {
    typealias Ports = (public: Int?, management: Int)
    private struct State {
        var publicPort: Int?
        var managementPort: Int?
        var failure: (any Error)?
        var waiters: [CheckedContinuation<Ports, any Error>] = []
    }

    private let expectPublic: Bool
    private let state = NIOLockedValueBox(State())

    init(expectPublic: Bool) { self.expectPublic = expectPublic }

    func report(public port: Int) { update { $0.publicPort = port } }
    func report(management port: Int) { update { $0.managementPort = port } }

    /// The bound ports; throws when the daemon stopped (or failed) before binding both.
    func wait() async throws -> Ports {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Ports, any Error>? = state.withLockedValue { state in
                if let ports = complete(state) { return .success(ports) }
                if let failure = state.failure { return .failure(failure) }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// The service group ended before both listeners were bound: waiters get `error`.
    func fail(_ error: any Error) {
        let waiters = state.withLockedValue { state in
            guard complete(state) == nil else { return [CheckedContinuation<Ports, any Error>]() }
            state.failure = error
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(throwing: error) }
    }

    private func update(_ change: (inout State) -> Void) {
        let (waiters, ports) = state.withLockedValue { state in
            change(&state)
            guard let ports = complete(state) else { return ([CheckedContinuation<Ports, any Error>](), Ports?.none) }
            defer { state.waiters = [] }
            return (state.waiters, ports)
        }
        if let ports { waiters.forEach { $0.resume(returning: ports) } }
    }

    private func complete(_ state: State) -> Ports? {
        guard let management = state.managementPort, !expectPublic || state.publicPort != nil else { return nil }
        return (state.publicPort, management)
    }
}
