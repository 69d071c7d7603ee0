import NIOConcurrencyHelpers

/// Coalesces identical questions to Auth: while one is in flight, the same question asked
/// again waits for its answer instead of sending another, so a burst of requests on one
/// session after the feed lapsed costs one round trip, not one per request.
///
/// A request joins a question only if nothing it must see could be missing from the answer:
/// the question was sent under the same `generation` (no change applied since: a feed event,
/// a resync, this service's own write), and its answer comes back within `joinBound` of the
/// sending (a change committed meanwhile elsewhere is then at most that stale). Otherwise the
/// request asks on its own. A finished question is forgotten at once, so a failure is never
/// handed to a request that arrives after it.
final class SharedQuestions<Key: Hashable & Sendable, Generation: Equatable & Sendable, Value: Sendable>: Sendable {
    private struct Flight: Sendable {
        let id: UInt64
        let generation: Generation
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

    /// The answer to the question `key` names, asked under `generation` with `ask` unless the
    /// same question is already in flight under the same generation.
    func answer(_ key: Key, generation: Generation, ask: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        let (flight, leads) = flights.withLockedValue { flights -> (Flight, Bool) in
            if let flight = flights.byKey[key], flight.generation == generation, now - flight.sent < joinBound { return (flight, false) }
            flights.nextID &+= 1
            let id = flights.nextID
            let task = Task { [self] in
                defer { forget(key, id: id) }
                return try await ask()
            }
            let flight = Flight(id: id, generation: generation, sent: now, task: task)
            flights.byKey[key] = flight
            return (flight, true)
        }
        let shared = try await flight.task.value
        guard !leads, ContinuousClock.now - flight.sent > joinBound else { return shared }
        return try await ask()
    }

    /// Forgets every question in flight (their answers still reach who asked them).
    func forgetAll() { flights.withLockedValue { $0.byKey = [:] } }

    private func forget(_ key: Key, id: UInt64) {
        flights.withLockedValue { flights in
            if flights.byKey[key]?.id == id { flights.byKey[key] = nil }
        }
    }

    /// Questions in flight now (for tests).
    var inFlight: Int { flights.withLockedValue { $0.byKey.count } }
}
