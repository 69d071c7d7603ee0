/// A daemon's state as the overview shows it: always with a text marker, never by colour alone.
public enum DaemonHealth: Sendable, Equatable {
    /// Live and ready.
    case up
    /// Live, but `/ready` fails: the first failing critical check (or the first failing one).
    case notReady(check: String)
    /// `/health` did not answer: why.
    case down(reason: String)
    /// Not probed yet.
    case unknown

    /// The marker shown beside the service, readable without colour.
    public var marker: String {
        switch self {
        case .up: "UP"
        case .notReady: "NOT READY"
        case .down: "DOWN"
        case .unknown: "..."
        }
    }

    /// How bad it is, for sorting and colour: 0 fine, 1 warning, 2 critical.
    public var severity: Int {
        switch self {
        case .up, .unknown: 0
        case .notReady: 1
        case .down: 2
        }
    }

    /// The state `probe` shows.
    public init(probe: Probe?) {
        guard let probe else { self = .unknown; return }
        if let failure = probe.healthFailure { self = .down(reason: failure); return }
        guard let readiness = probe.readiness else { self = .notReady(check: "/ready unreadable"); return }
        if readiness.status == "ready" { self = .up; return }
        let failing = readiness.checks.first { $0.critical && !$0.passed } ?? readiness.checks.first { !$0.passed }
        self = .notReady(check: failing?.name ?? readiness.status)
    }
}
