import NIOConcurrencyHelpers
import PostgresNIO

/// Hands a pooled connection from the task that leased it to the task that waits for it, so
/// the waiter can stop waiting (deadline, cancellation) without waiting for the lease itself:
/// PostgresNIO's lease requests have no timeout of their own, and one cancelled in the instant
/// before it is queued stays queued. Whatever arrives too late is handed straight back.
///
/// The leasing task calls `offer` inside `PostgresClient.withConnection` and is held there
/// until the waiter calls `done` (or gave up), which returns the connection to the pool.
final class LeaseHandoff: Sendable {
    private enum State {
        case pending
        case over
        case failed(any Error)
        case waiting(CheckedContinuation<PostgresConnection, any Error>)
        case offered(PostgresConnection, CheckedContinuation<Void, Never>)
        case inUse(CheckedContinuation<Void, Never>)
    }

    private let state = NIOLockedValueBox(State.pending)

    /// The connection, once leased; throws what `fail` was given first.
    func take() async throws -> PostgresConnection {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready: Result<PostgresConnection, any Error>? = state.withLockedValue { state in
                    switch state {
                    case .pending:
                        state = .waiting(continuation)
                        return nil
                    case .offered(let connection, let hold):
                        state = .inUse(hold)
                        return .success(connection)
                    case .failed(let error):
                        return .failure(error)
                    case .over, .waiting, .inUse:
                        return .failure(CancellationError())
                    }
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            self.fail(CancellationError())
        }
    }

    /// Called with the leased connection; returns when the waiter is done with it.
    func offer(_ connection: PostgresConnection) async {
        await withCheckedContinuation { (hold: CheckedContinuation<Void, Never>) in
            let (waiter, giveBack): (CheckedContinuation<PostgresConnection, any Error>?, Bool) = state.withLockedValue { state in
                switch state {
                case .pending:
                    state = .offered(connection, hold)
                    return (nil, false)
                case .waiting(let waiter):
                    state = .inUse(hold)
                    return (waiter, false)
                case .over, .failed, .offered, .inUse:
                    return (nil, true)
                }
            }
            waiter?.resume(returning: connection)
            if giveBack { hold.resume() }
        }
    }

    /// The lease failed, timed out or was abandoned; a no-op once the waiter has the connection.
    func fail(_ error: any Error) {
        let (waiter, hold): (CheckedContinuation<PostgresConnection, any Error>?, CheckedContinuation<Void, Never>?) =
            state.withLockedValue { state in
                switch state {
                case .pending:
                    state = .failed(error)
                    return (nil, nil)
                case .waiting(let waiter):
                    state = .failed(error)
                    return (waiter, nil)
                case .offered(_, let hold):
                    state = .failed(error)
                    return (nil, hold)
                case .inUse, .over, .failed:
                    return (nil, nil)
                }
            }
        waiter?.resume(throwing: error)
        hold?.resume()
    }

    /// The waiter is done with the connection: it goes back to the pool.
    func done() {
        let hold: CheckedContinuation<Void, Never>? = state.withLockedValue { state in
            guard case .inUse(let hold) = state else { return nil }
            state = .over
            return hold
        }
        hold?.resume()
    }
}
