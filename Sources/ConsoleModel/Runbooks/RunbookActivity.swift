import RunbookEngine

/// A runbook run started from the console: its live step output and how it ended.
public struct RunbookActivity: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case running, succeeded, failed
    }

    public let runbook: String
    public private(set) var lines: [String] = []
    public private(set) var state: State = .running

    public init(runbook: String) { self.runbook = runbook }

    /// Takes in one event of the run.
    public mutating func record(_ event: RunbookRunner.Event) {
        switch event {
        case .started(let step, let name, let call): lines.append("[\(step)] \(name): \(call)")
        case .finished(_, let status, let shown): lines.append(" -> \(status)"); lines += shown.map { "    " + $0 }
        case .failed(_, let reason): lines.append(" -> FAILED: \(reason)")
        }
    }

    /// The run ended (`failure`: why it stopped, nil when it succeeded).
    public mutating func finish(failure: String?) {
        state = failure == nil ? .succeeded : .failed
        lines.append(failure.map { "stopped: \($0)" } ?? "done")
    }
}
