import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PlatformKit

/// One lazily (re)connected Redis connection. Concurrent callers share one connect attempt.
final class RedisConnectionSlot: Sendable {
    private enum State {
        case idle
        case connecting(generation: UInt64, task: Task<any Channel, any Error>)
        case ready(any Channel)
        case shutDown
    }

    private let state = NIOLockedValueBox<(state: State, generation: UInt64)>((.idle, 0))
    private let connect: @Sendable () async throws -> any Channel
    private let connectLimit: Duration

    /// `connectLimit` bounds how long a caller waits for a connect attempt (shared with other
    /// callers, so it is not cancelled when one of them gives up).
    init(connectLimit: Duration, connect: @escaping @Sendable () async throws -> any Channel) {
        self.connectLimit = connectLimit
        self.connect = connect
    }

    /// An open channel, connecting first if needed.
    func channel() async throws -> any Channel {
        enum Action { case use(any Channel), wait(Task<any Channel, any Error>), closed }
        let action: Action = state.withLockedValue { box in
            switch box.state {
            case .ready(let channel) where channel.isActive:
                return .use(channel)
            case .connecting(_, let task):
                return .wait(task)
            case .shutDown:
                return .closed
            case .idle, .ready:
                box.generation &+= 1
                let generation = box.generation
                let task = Task { [self] in
                    do {
                        let channel = try await connect()
                        let kept = state.withLockedValue { box -> Bool in
                            guard case .connecting(generation, _) = box.state else { return false }
                            box.state = .ready(channel)
                            return true
                        }
                        if !kept { channel.close(promise: nil) }
                        return channel
                    } catch {
                        state.withLockedValue { box in
                            if case .connecting(generation, _) = box.state { box.state = .idle }
                        }
                        throw error
                    }
                }
                box.state = .connecting(generation: generation, task: task)
                return .wait(task)
            }
        }
        switch action {
        case .use(let channel): return channel
        case .wait(let task): return try await withDeadline(connectLimit) { try await task.value }
        case .closed: throw RedisError(.shutdown, "the Redis client is shut down")
        }
    }

    /// Drops `channel` (after a timeout or error) so the next call reconnects.
    func discard(_ channel: any Channel) {
        state.withLockedValue { box in
            if case .ready(let current) = box.state, current === channel { box.state = .idle }
        }
        channel.close(promise: nil)
    }

    /// Closes the connection for good.
    func shutdown() {
        let channel: (any Channel)? = state.withLockedValue { box in
            defer { box.state = .shutDown }
            if case .ready(let channel) = box.state { return channel }
            return nil
        }
        channel?.close(promise: nil)
    }
}
