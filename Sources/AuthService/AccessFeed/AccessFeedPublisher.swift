import AccessControl
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PlatformDaemon
import PlatformKit
import Prometheus
import ServiceLifecycle

/// Follows `access_events` in one loop and answers the feed's long polls from memory: one
/// database read per pass however many services follow the feed. Readers further behind
/// than the buffer are answered from the database. Also runs the feed's upkeep: announcing
/// expired delegations and pruning events past retention.
///
/// This process follows its own feed too: every event read is handed to `localListeners`
/// (Auth's access memory, its key ring), which a complete pass vouches for `localTrust` past
/// the pass's start; `settle` lets a write return once its change is applied here.
final class AccessFeedPublisher: Service, ServicePhaseReporting, Sendable {
    struct Settings: Sendable {
        /// How often the table is read without a notification: the feed's heartbeat (a
        /// commit wakes it at once through LISTEN/NOTIFY).
        var heartbeat: Duration = .milliseconds(100)
        /// How soon the table is read again when a transaction still in flight (anywhere in the
        /// cluster) holds committed events back: its commit sends no notification, so waiting
        /// for the heartbeat would delay those events by up to a heartbeat. Doubles while the
        /// horizon stays held (a long transaction costs a few reads, not a hundred a second).
        var pendingRetry: Duration = .milliseconds(10)
        /// Events kept in memory for readers that are nearly current.
        var bufferLimit = 20_000
        /// Events kept in the table; a reader further behind resyncs.
        var retention: Duration = .seconds(86_400)
        var pruneInterval: Duration = .seconds(60)
        /// How often delegations past their expiry are looked for.
        var expiryInterval: Duration = .seconds(1)
        /// Events in one answer.
        var pageLimit = 1_000
        /// How long a complete pass vouches for what the local listeners hold (from its start).
        var localTrust: Duration = .milliseconds(500)
    }

    private struct State {
        var buffer = CircularBuffer<AccessEvent>()
        /// Everything after `floor` up to `head` is in `buffer` (nil before the first pass).
        var floor: AccessFeedCursor?
        var head: AccessFeedCursor?
        /// Every change committed before this instant is at or before `head`.
        var completeAt: ContinuousClock.Instant?
    }

    let repository: AccessFeedRepository
    let settings: Settings
    let logger: Logger
    /// Parts of this process kept current by the feed.
    let localListeners: [any AccessFeedListener]
    private let state = NIOLockedValueBox(State())
    private let signal = ChangeSignal()
    /// Advanced after every complete pass (`settle` waits on it).
    private let passes = ChangeSignal()
    private let settleTimeouts: Counter?
    /// The longest one step of the pump may take (a lease and a statement are bounded below it).
    static let stepLimit: Duration = .seconds(20)
    private let phases = NIOLockedValueBox((pump: "starting", listener: "starting", upkeep: "starting"))

    var phase: String { phases.withLockedValue { "pump: \($0.pump); listener: \($0.listener); upkeep: \($0.upkeep)" } }
    /// Advanced by notifications of new events: the pump reads at once.
    private let wake = ChangeSignal()

    init(repository: AccessFeedRepository, settings: Settings = Settings(), localListeners: [any AccessFeedListener] = [],
         metrics: PlatformMetrics? = nil, logger: Logger) {
        settleTimeouts = metrics?.counter("kisum_auth_access_memory_settle_timeouts_total",
                                          help: "Writes whose change the feed's pump did not read back within 1 s (the memory was dropped instead).")
        self.repository = repository
        self.settings = settings
        self.localListeners = localListeners
        self.logger = logger
    }

    /// Returns once a complete pass that began after `instant` has been applied locally (a
    /// change this process committed before `instant` then shows in its memory), or after
    /// `limit`, the local listeners then dropping everything they hold.
    func settle(after instant: ContinuousClock.Instant = .now, within limit: Duration = .seconds(1)) async {
        let deadline = instant + limit
        while true {
            let generation = passes.generation
            if state.withLockedValue({ $0.completeAt.map { $0 > instant } ?? false }) { return }
            wake.advance()  // read now, not at the next heartbeat (a write with no event sends no notification)
            let now = ContinuousClock.now
            guard now < deadline, !Task.isCancelled else {
                localListeners.forEach { $0.dropAll() }
                settleTimeouts?.increment()
                logger.warning("access feed: a write was not read back in time; this instance's access memory was dropped",
                               metadata: ["phase": .string(phase)])
                return
            }
            await passes.wait(beyond: generation, for: deadline - now)
        }
    }

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.listen() }
            group.addTask { await self.upkeep() }
            await self.pump()
            group.cancelAll()
        }
    }

    /// Holds one connection LISTENing for commits of events; each wakes the pump.
    private func listen() async {
        var failing = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                phases.withLockedValue { $0.listener = "listening" }
                // Abandoned on cancellation whatever PostgresNIO's LISTEN does meanwhile.
                try await abandoningOnCancellation { [repository, wake] in try await repository.listen { wake.advance() } }
            } catch {
                phases.withLockedValue { $0.listener = "failed: \(type(of: error))" }
                guard !Task.isCancelled else { return }
                if !failing {
                    failing = true
                    logger.warning("access feed: cannot listen for commits; reading every heartbeat",
                                   metadata: ["error_type": .type(of: error), "error_detail": .detail(of: error)])
                }
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            failing = false
        }
        phases.withLockedValue { $0.listener = "stopped" }
    }

    /// Announces expired delegations and prunes old events, beside the pump (never in front of
    /// a pass: writes waiting in `settle` do not wait on upkeep).
    private func upkeep() async {
        let clock = ContinuousClock()
        // Pruned at least as often as events age out (a short retention in tests is honoured).
        let pruneInterval = min(settings.pruneInterval, settings.retention)
        var lastPrune = clock.now - pruneInterval
        var failing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                phases.withLockedValue { $0.upkeep = "announcing expired delegations" }
                _ = try await withDeadline(Self.stepLimit) { [repository] in try await repository.announceExpiredDelegations() }
                if clock.now - lastPrune >= pruneInterval {
                    lastPrune = clock.now
                    phases.withLockedValue { $0.upkeep = "pruning" }
                    _ = try await withDeadline(Self.stepLimit) { [repository, retention = settings.retention] in
                        try await repository.prune(olderThan: retention)
                    }
                }
                failing = false
            } catch {
                if !failing && !Task.isCancelled {
                    failing = true
                    logger.warning("access feed upkeep failed (logged once until it recovers)",
                                   metadata: ["error_type": .type(of: error), "error_detail": .detail(of: error)])
                }
            }
            phases.withLockedValue { $0.upkeep = "waiting" }
            try? await cancelWhenGracefulShutdown { [interval = settings.expiryInterval] in try await Task.sleep(for: interval) }
        }
        phases.withLockedValue { $0.upkeep = "stopped" }
    }

    private func pump() async {
        var failing = false
        var heldBackWait = settings.pendingRetry
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let woken = wake.generation
            var outcome = PassOutcome.current
            do {
                // Every step is bounded and abandoned on cancellation, whatever the database
                // driver does meanwhile: a stopping daemon never waits on it.
                phases.withLockedValue { $0.pump = "reading" }
                outcome = try await withDeadline(Self.stepLimit) { try await self.pass() }
                if failing {
                    failing = false
                    logger.notice("access feed: reading again")
                }
            } catch {
                if !failing {
                    failing = true
                    logger.warning("access feed pass failed (logged once until it recovers; complete_age_ms grows meanwhile)",
                                   metadata: ["error_type": .type(of: error), "error_detail": .detail(of: error)])
                }
            }
            phases.withLockedValue { $0.pump = "waiting" }
            switch outcome {
            case .more:
                heldBackWait = settings.pendingRetry
            case .heldBack:
                await wake.wait(beyond: woken, for: heldBackWait)
                heldBackWait = min(heldBackWait * 2, settings.heartbeat)
            case .current:
                heldBackWait = settings.pendingRetry
                await wake.wait(beyond: woken, for: settings.heartbeat)
            }
        }
        phases.withLockedValue { $0.pump = "stopped" }
    }

    /// What one pass found.
    enum PassOutcome: Sendable {
        /// A full page: read again at once.
        case more
        /// Read to the horizon, but a transaction in flight holds the horizon back.
        case heldBack
        /// Everything committed is in hand.
        case current
    }

    /// One read of the table into the buffer.
    func pass() async throws -> PassOutcome {
        let started = ContinuousClock.now
        guard let head = state.withLockedValue({ $0.head }) else {
            let horizon = try await repository.horizon()
            let first = state.withLockedValue { state in
                guard state.head == nil else { return false }  // an abandoned pass finishing late changes nothing
                state.floor = horizon.head
                state.head = horizon.head
                return true
            }
            if first {
                localListeners.forEach { $0.dropAll() }
                if !horizon.pending { vouch(from: started) }
            }
            return horizon.pending ? .heldBack : .current
        }
        guard let read = try await repository.read(after: head, limit: settings.pageLimit) else {
            // The table no longer reaches our head (a restored or replaced database): start over.
            logger.error("access feed: the database no longer reaches the feed's position; starting from its head",
                         metadata: ["cursor": .string(head.description)])
            state.withLockedValue { if $0.head == head { $0 = State() } }
            localListeners.forEach { $0.dropAll() }
            signal.advance()
            return .more
        }
        let applied = state.withLockedValue { state in
            // Only onto the head it read from: a pass abandoned at its deadline that finishes
            // late must not append twice or move the head back.
            guard state.head == head else { return false }
            state.buffer.append(contentsOf: read.events)
            state.head = read.cursor
            while state.buffer.count > settings.bufferLimit { state.floor = state.buffer.removeFirst().cursor }
            // Local listeners get the events in order: passes never overlap (one pump).
            if !read.events.isEmpty { localListeners.forEach { $0.apply(read.events) } }
            return true
        }
        guard applied else { return .current }
        if read.complete { vouch(from: started) }
        if !read.events.isEmpty { signal.advance() }
        if read.events.count == settings.pageLimit { return .more }
        return read.complete ? .current : .heldBack
    }

    /// Everything committed before `started` is applied: the memory may answer for a while, and
    /// writes waiting in `settle` may return.
    private func vouch(from started: ContinuousClock.Instant) {
        state.withLockedValue { state in
            if state.completeAt.map({ started > $0 }) ?? true { state.completeAt = started }
        }
        localListeners.forEach { $0.trust(until: started + settings.localTrust) }
        passes.advance()
    }

    /// The events after `cursor`, waiting up to `wait` for some; without a cursor, the feed's
    /// current position (a new reader starts there, holding nothing).
    /// `arrived`: when the question arrived; the answer says how long it was held since.
    func page(after cursor: AccessFeedCursor?, wait: Duration, arrived: ContinuousClock.Instant = .now) async throws -> AccessFeedPage {
        let deadline = arrived + wait
        while true {
            let generation = signal.generation
            // Beyond memory (a cursor from before this instance's pump, or the pump not yet
            // started) the table answers; with nothing new it still waits like a long poll, so
            // followers never spin against the database.
            let answer: AccessFeedPage
            if let inMemory = fromMemory(after: cursor, arrived: arrived) { answer = inMemory } else { answer = try await fromDatabase(after: cursor, arrived: arrived) }
            if !answer.events.isEmpty || answer.resync || cursor == nil || ContinuousClock.now >= deadline || Task.isCancelled {
                return answer
            }
            await signal.wait(beyond: generation, for: deadline - ContinuousClock.now)
        }
    }

    private func fromMemory(after cursor: AccessFeedCursor?, arrived: ContinuousClock.Instant) -> AccessFeedPage? {
        state.withLockedValue { state in
            guard let floor = state.floor, let head = state.head else { return nil }
            let after = cursor ?? head
            guard after >= floor, after <= head else { return nil }
            let start = state.buffer.partitioningIndex { $0.cursor > after }
            let available = state.buffer[start...]
            let events = Array(available.prefix(settings.pageLimit))
            let truncated = available.count > events.count
            let now = ContinuousClock.now
            let age = state.completeAt.map { now - $0 }
            return AccessFeedPage(cursor: truncated ? events[events.count - 1].cursor : head, events: events, resync: false,
                                  completeAgeMilliseconds: truncated ? nil : age.map(\.wholeMilliseconds),
                                  heldMilliseconds: (now - arrived).wholeMilliseconds)
        }
    }

    private func fromDatabase(after cursor: AccessFeedCursor?, arrived: ContinuousClock.Instant) async throws -> AccessFeedPage {
        let started = ContinuousClock.now
        if let cursor, let read = try await repository.read(after: cursor, limit: settings.pageLimit) {
            let now = ContinuousClock.now
            return AccessFeedPage(cursor: read.cursor, events: read.events, resync: false,
                                  completeAgeMilliseconds: read.complete ? (now - started).wholeMilliseconds : nil,
                                  heldMilliseconds: (now - arrived).wholeMilliseconds)
        }
        let horizon = try await repository.horizon()
        let now = ContinuousClock.now
        return AccessFeedPage(cursor: horizon.head, events: [], resync: cursor != nil,
                              completeAgeMilliseconds: horizon.pending ? nil : (now - started).wholeMilliseconds,
                              heldMilliseconds: (now - arrived).wholeMilliseconds)
    }
}


extension RandomAccessCollection {
    /// The first index whose element satisfies `predicate`, which must be false for a prefix
    /// and true for the rest.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = distance(from: startIndex, to: endIndex)
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if predicate(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}
