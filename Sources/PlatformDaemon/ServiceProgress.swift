import NIOConcurrencyHelpers
import ServiceLifecycle

/// Which of a daemon's services are still running, by name: a shutdown that overruns its
/// bound says what it is still waiting on instead of only that it waited.
final class ServiceProgress: Sendable {
    private let running = NIOLockedValueBox<[String]>([])

    /// `service`, reporting its start and end here under `name`.
    func tracking(_ service: any Service, as name: String) -> any Service {
        TrackedService(name: name, base: service, progress: self)
    }

    /// The services that started and have not ended, in start order.
    var stillRunning: [String] { running.withLockedValue { $0 } }

    fileprivate func started(_ name: String) { running.withLockedValue { $0.append(name) } }

    fileprivate func ended(_ name: String) {
        running.withLockedValue { names in
            if let index = names.firstIndex(of: name) { names.remove(at: index) }
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
        progress.started(name)
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
