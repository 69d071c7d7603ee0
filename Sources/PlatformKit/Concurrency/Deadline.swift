import NIOConcurrencyHelpers

/// The operation did not finish within its time limit.
public struct DeadlineExceeded: Error, Sendable, Equatable {
    public let limit: Duration
}

/// Runs `operation` and returns its result, or throws `DeadlineExceeded` once `limit` has
/// passed, whether or not the operation honours cancellation (it is cancelled, but not
/// waited for). Use it around calls to dependencies that must not hold a request hostage.
public func withDeadline<Value: Sendable>(
    _ limit: Duration,
    _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let race = DeadlineRace<Value>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(continuation: continuation, limit: limit, operation: operation)
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// Runs `operation` and returns its result, or throws `CancellationError` as soon as the caller
/// is cancelled, whether or not the operation honours cancellation (it is cancelled, but not
/// waited for; its result is dropped). For work on threads of its own (key generation) that a
/// shutdown must not wait out.
public func abandoningOnCancellation<Value: Sendable>(
    _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let race = DeadlineRace<Value>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(continuation: continuation, limit: nil, operation: operation)
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// The first of (result, deadline, cancellation) resumes the continuation; the rest are ignored.
private final class DeadlineRace<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var pending: Result<Value, any Error>?
        var tasks: [Task<Void, Never>] = []
        var done = false
    }

    private let state = NIOLockedValueBox(State())

    func start(continuation: CheckedContinuation<Value, any Error>, limit: Duration?,
               operation: @escaping @Sendable () async throws -> Value) {
        let early: Result<Value, any Error>? = state.withLockedValue { state in
            if let pending = state.pending { return pending }
            state.continuation = continuation
            return nil
        }
        if let early {
            continuation.resume(with: early)
            return
        }
        let work = Task { [self] in
            do { finish(.success(try await operation())) } catch { finish(.failure(error)) }
        }
        var tasks = [work]
        if let limit {
            tasks.append(Task { [self] in
                if (try? await Task.sleep(for: limit)) != nil { finish(.failure(DeadlineExceeded(limit: limit))) }
            })
        }
        let finished = state.withLockedValue { state in
            state.tasks = tasks
            return state.done
        }
        if finished { tasks.forEach { $0.cancel() } }
    }

    func finish(_ result: Result<Value, any Error>) {
        let resume: (CheckedContinuation<Value, any Error>, [Task<Void, Never>])? = state.withLockedValue { state in
            guard !state.done else { return nil }
            state.done = true
            guard let continuation = state.continuation else {
                state.pending = result  // cancelled before start: start resumes at once
                return nil
            }
            state.continuation = nil
            return (continuation, state.tasks)
        }
        guard let (continuation, tasks) = resume else { return }
        continuation.resume(with: result)
        tasks.forEach { $0.cancel() }
    }
}
