import NIOConcurrencyHelpers

/// The position of a `CircuitBreaker`.
public enum CircuitBreakerState: Sendable, Equatable {
    case closed
    case open
    case halfOpen
}

/// Stops calling a dependency that keeps failing: after `threshold` consecutive failures it
/// opens for `cooldown`, failing calls at once; then it lets one probe through (half-open)
/// and closes again on success. So an unreachable Redis costs at most one timeout per
/// cooldown instead of one per request. Time comes from `clock` (a test clock in tests).
public final class CircuitBreaker<C: Clock>: Sendable where C.Duration == Duration {
    public typealias State = CircuitBreakerState

    private enum Internal: Sendable {
        case closed(failures: Int)
        case open(until: C.Instant)
        case halfOpen
    }

    public let threshold: Int
    public let cooldown: Duration
    private let clock: C
    private let state = NIOLockedValueBox(Internal.closed(failures: 0))
    private let onChange: @Sendable (State) -> Void

    public init(threshold: Int, cooldown: Duration, clock: C, onChange: @escaping @Sendable (State) -> Void = { _ in }) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
        self.clock = clock
        self.onChange = onChange
    }

    public var current: State {
        let now = clock.now
        return state.withLockedValue { state in
            switch state {
            case .closed: .closed
            case .open(let until): now >= until ? .halfOpen : .open
            case .halfOpen: .halfOpen
            }
        }
    }

    /// Whether a call may go ahead now. When it returns true the caller must report the
    /// outcome with `recordSuccess()`, `recordFailure()` or `abandon()`.
    public func allowRequest() -> Bool {
        let now = clock.now
        let (allowed, changed): (Bool, State?) = state.withLockedValue { state in
            switch state {
            case .closed:
                return (true, nil)
            case .open(let until):
                guard now >= until else { return (false, nil) }
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
        let now = clock.now
        state.withLockedValue { state in
            if case .halfOpen = state { state = .open(until: now) }
        }
    }

    public func recordFailure() {
        let reopenAt = clock.now.advanced(by: cooldown)
        let opened: Bool = state.withLockedValue { state in
            switch state {
            case .closed(let failures) where failures + 1 < threshold:
                state = .closed(failures: failures + 1)
                return false
            case .open:
                return false
            default:
                state = .open(until: reopenAt)
                return true
            }
        }
        if opened { onChange(.open) }
    }
}

extension CircuitBreaker where C == ContinuousClock {
    /// A breaker on the continuous clock.
    public convenience init(threshold: Int, cooldown: Duration, onChange: @escaping @Sendable (State) -> Void = { _ in }) {
        self.init(threshold: threshold, cooldown: cooldown, clock: ContinuousClock(), onChange: onChange)
    }
}
