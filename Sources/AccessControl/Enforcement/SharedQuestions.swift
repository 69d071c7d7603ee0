import NIOConcurrencyHelpers

/// Coalesces identical questions to Auth: while one is in flight, the same question asked
/// again waits for its answer instead of sending another, so a burst of requests on one
/// session after the feed lapsed costs one round trip, not one per request.
///
/// An answer can miss a change that committed after its question was sent, so a request that
/// joined takes it only if it came back within `joinBound` of the sending (a shared answer is
/// then no staler than that); otherwise the request asks on its own.
final class SharedQuestions<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Flight: Sendable {
        let id: UInt64
        let sent: ContinuousClock.Instant
        let task: Task<Value, any Error>
    }

    private struct Flights {
        var byKey: [Key: Flight] = [:]
        var nextID: UInt64 = 0
    }

    let joinBound: Duration
    private let flights = NIOLockedValueBox(Flights())

    init(joinBound: Duration = .milliseconds(250)) {
        self.joinBound = joinBound
    }

    /// The answer to the question `key` names, asking with `ask` unless the same question is
    /// already in flight.
    func answer(_ key: Key, ask: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        let (flight, leads) = flights.withLockedValue { flights -> (Flight, Bool) in
            if let flight = flights.byKey[key], now - flight.sent < joinBound { return (flight, false) }
            flights.nextID &+= 1
            let flight = Flight(id: flights.nextID, sent: now, task: Task { try await ask() })
            flights.byKey[key] = flight
            return (flight, true)
        }
        if leads {
            defer {
                flights.withLockedValue { flights in
                    if flights.byKey[key]?.id == flight.id { flights.byKey[key] = nil }
                }
            }
            return try await flight.task.value
        }
        let shared = try await flight.task.value
        guard ContinuousClock.now - flight.sent <= joinBound else { return try await ask() }
        return shared
    }

    /// Questions in flight now (for tests).
    var inFlight: Int { flights.withLockedValue { $0.byKey.count } }
}
