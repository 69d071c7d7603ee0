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

    init(name: String, publicPort: Int?, managementPort: Int, group: ServiceGroup, task: Task<Void, any Error>,
         metrics: PlatformMetrics, managementRoutes: [String], publicRoutes: [String]) {
        self.managementRoutes = managementRoutes
        self.publicRoutes = publicRoutes
        self.name = name
        self.publicPort = publicPort
        self.managementPort = managementPort
        self.group = group
        self.task = task
        self.metrics = metrics
    }

    public var publicURL: String? { publicPort.map { "http://127.0.0.1:\($0)" } }
    public var managementURL: String { "http://127.0.0.1:\(managementPort)" }

    /// Graceful shutdown, as on SIGTERM; returns when every service has stopped.
    public func shutdown() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

/// Collects the ports the listeners actually bound (port 0 picks a free one).
final class PortReporter: Sendable {
    private struct State {
        var publicPort: Int?
        var managementPort: Int?
        var waiters: [CheckedContinuation<(public: Int?, management: Int), Never>] = []
    }

    private let expectPublic: Bool
    private let state = NIOLockedValueBox(State())

    init(expectPublic: Bool) { self.expectPublic = expectPublic }

    func report(public port: Int) { update { $0.publicPort = port } }
    func report(management port: Int) { update { $0.managementPort = port } }

    func wait() async -> (public: Int?, management: Int) {
        await withCheckedContinuation { continuation in
            let ready: (public: Int?, management: Int)? = state.withLockedValue { state in
                if let ports = complete(state) { return ports }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func update(_ change: (inout State) -> Void) {
        let (waiters, ports) = state.withLockedValue { state in
            change(&state)
            guard let ports = complete(state) else { return ([CheckedContinuation<(public: Int?, management: Int), Never>](), (public: Int?.none, management: 0)) }
            defer { state.waiters = [] }
            return (state.waiters, ports)
        }
        waiters.forEach { $0.resume(returning: ports) }
    }

    private func complete(_ state: State) -> (public: Int?, management: Int)? {
        guard let management = state.managementPort, !expectPublic || state.publicPort != nil else { return nil }
        return (state.publicPort, management)
    }
}
