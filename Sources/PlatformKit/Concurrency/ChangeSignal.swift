import NIOConcurrencyHelpers

/// A generation counter that tasks can wait on: `advance()` wakes every waiter. A waiter
/// always ends — when the generation moves past the one it saw, when its time is up, or when
/// it is cancelled.
public final class ChangeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<UInt64> = []
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// The current generation: pass it to `wait(beyond:for:)` after reading the state it guards.
    public var generation: UInt64 { state.withLockedValue { $0.generation } }

    /// Moves to the next generation and wakes every waiter.
    public func advance() {
        let waiters = state.withLockedValue { state in
            state.generation &+= 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns once the generation is past `seen`, after `limit`, or when cancelled.
    public func wait(beyond seen: UInt64, for limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForAdvance(beyond: seen) }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForAdvance(beyond seen: UInt64) async {
        let id = state.withLockedValue { state in
            defer { state.nextWaiter &+= 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLockedValue { state in
                    if state.generation != seen || state.cancelled.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)  // not registered yet: it resumes itself when it is
                return nil
            }
            waiter?.resume()
        }
        // A cancellation that arrived after the advance left its mark behind.
        _ = state.withLockedValue { $0.cancelled.remove(id) }
    }
}
