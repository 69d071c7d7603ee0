import NIOConcurrencyHelpers
import ServiceLifecycle

/// A service that can say what it is doing (named in a shutdown overrun).
public protocol ServicePhaseReporting: Sendable {
    /// What the service is awaiting now, e.g. "reading the table".
    var phase: String { get }
}

/// Which of a daemon's services are still running, by name: a shutdown that overruns its
/// bound says what it is still waiting on instead of only that it waited.
final class ServiceProgress: Sendable {
    private let running = NIOLockedValueBox<[(name: String, service: any Service)]>([])

    /// `service`, reporting its start and end here under `name`.
    func tracking(_ service: any Service, as name: String) -> any Service {
        TrackedService(name: name, base: service, progress: self)
    }

    /// The services that started and have not ended, in start order (with their phase, when
    /// they report one).
    var stillRunning: [String] {
        running.withLockedValue { running in
            running.map { entry in (entry.service as? any ServicePhaseReporting).map { "\(entry.name) (\($0.phase))" } ?? entry.name }
        }
    }

    fileprivate func started(_ name: String, _ service: any Service) { running.withLockedValue { $0.append((name, service)) } }

    fileprivate func ended(_ name: String) {
        running.withLockedValue { running in
            if let index = running.firstIndex(where: { $0.name == name }) { running.remove(at: index) }
        }
    }

    /// A readable name for a daemon's service: a job's own name, otherwise its type without
    /// generic arguments.
    static func name(of service: any Service) -> String {
        if let job = service as? PeriodicJob { return "job \(job.name)" }
        let type = String(describing: Swift.type(of: service))
        return String(type.prefix { $0 != "<" })
    }
}

private struct TrackedService: Service {
    let name: String
    let base: any Service
    let progress: ServiceProgress

    func run() async throws {
        progress.started(name, base)
        defer { progress.ended(name) }
        try await base.run()
    }
}

/// An in-process daemon did not stop within its bound; `stillRunning` names what it was
/// waiting on.
public struct ShutdownOverran: Error, Sendable, CustomStringConvertible {
    public let daemon: String
    public let limit: Duration
    public let stillRunning: [String]

    public var description: String {
        "\(daemon) did not stop within \(limit); still running: \(stillRunning.isEmpty ? "none" : stillRunning.joined(separator: ", "))"
    }
}
