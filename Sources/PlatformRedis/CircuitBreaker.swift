import NIOConcurrencyHelpers
import NIOCore

/// Stops calling a dependency that keeps failing: after `threshold` consecutive failures it
/// opens for `cooldown`, failing calls at once; then it lets one probe through (half-open)
/// and closes again on success. So an unreachable Redis costs at most one timeout per
/// cooldown instead of one per request.
public final class CircuitBreaker: Sendable {
    /// The breaker's position.
    public enum State: Sendable, Equatable {
        case closed
        case open
        case halfOpen
    }

    private enum Internal {
        case closed(failures: Int)
        case open(until: NIODeadline)
        case halfOpen
    }

    public let threshold: Int
    public let cooldown: TimeAmount
    private let state = NIOLockedValueBox(Internal.closed(failures: 0))
    private let onChange: @Sendable (State) -> Void

    public init(threshold: Int, cooldown: TimeAmount, onChange: @escaping @Sendable (State) -> Void = { _ in }) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
        self.onChange = onChange
    }

    public var current: State {
        state.withLockedValue { state in
            switch state {
            case .closed: .closed
            case .open(let until): NIODeadline.now() >= until ? .halfOpen : .open
            case .halfOpen: .halfOpen
            }
        }
    }

    /// Whether a call may go ahead now. When it returns true the caller must report the
    /// outcome with `recordSuccess()` or `recordFailure()`.
    public func allowRequest() -> Bool {
        let (allowed, changed): (Bool, State?) = state.withLockedValue { state in
            switch state {
            case .closed:
                return (true, nil)
            case .open(let until):
                guard NIODeadline.now() >= until else { return (false, nil) }
                state = .halfOpen
                return (true, .halfOpen)
            case .halfOpen:
                return (false, nil)  // one probe at a time
            }
        }
        if let changed { onChange(changed) }
        return allowed
    }

    public func recordSuccess() {
        let changed: Bool = state.withLockedValue { state in
            if case .closed(0) = state { return false }
            let wasClosed = if case .closed = state { true } else { false }
            state = .closed(failures: 0)
            return !wasClosed
        }
        if changed { onChange(.closed) }
    }

    /// The caller gave up before the outcome was known (cancelled): nothing is learned. A
    /// half-open breaker lets the next call probe instead.
    public func abandon() {
        state.withLockedValue { state in
            if case .halfOpen = state { state = .open(until: .now()) }
        }
    }

    public func recordFailure() {
        let opened: Bool = state.withLockedValue { state in
            switch state {
            case .closed(let failures) where failures + 1 < threshold:
                state = .closed(failures: failures + 1)
                return false
            case .open:
                return false
            default:
                state = .open(until: .now() + cooldown)
                return true
            }
        }
        if opened { onChange(.open) }
    }
}
