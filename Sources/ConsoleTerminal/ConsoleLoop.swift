import ConsoleModel
import Foundation
import NIOConcurrencyHelpers
import RunbookEngine

/// Runs the console: a collector task probes the targets in the background, on its interval,
/// while one thread of its own owns the terminal — it draws the model and handles keys, never
/// waiting on the network (a dead target can slow a pass, never the screen).
public final class ConsoleLoop: @unchecked Sendable {
    /// Reads every target once (bounded per target by the collector's timeouts).
    public typealias Collect = @Sendable ([Target]) async -> [Probe]
    /// Reads the certificates of the targets' public endpoints (bounded per endpoint).
    public typealias CheckCertificates = @Sendable ([Target]) async -> [CertificateCheck]
    /// Reads Auth's signing keys through Admin (bounded).
    public typealias ReadSigningKeys = @Sendable () async -> SigningKeysReport
    /// Reads Admin's newest audit entries (bounded).
    public typealias ReadAudit = @Sendable () async -> AuditReport
    /// Runs a runbook through the Admin API as the operator, reporting each event.
    public typealias RunRunbook = @Sendable (Runbook, [String: String], String?, @escaping @Sendable (RunbookRunner.Event) -> Void) async throws
        -> RunbookRunner.Result

    private let driver: any TerminalDriver
    private let screen: ConsoleScreen
    private let targets: [Target]
    private let collect: Collect
    private let shared: NIOLockedValueBox<Shared>
    private let now: @Sendable () -> Double
    private let runbooks: [Runbook]
    private let runRunbook: RunRunbook?
    private let runbookNotice: String?
    private let checkCertificates: CheckCertificates?
    private let certificateInterval: Duration
    private let readSigningKeys: ReadSigningKeys?
    private let adminReadInterval: Duration
    private let readAudit: ReadAudit?

    struct Shared {
        var model: OverviewModel
        var generation = 0
        var paused = false
        var intervalSeconds: Int
        var refreshRequested = false
        var quitting = false
        var activity: RunbookActivity?
    }

    /// `now`: seconds since the Unix epoch (a test passes its own clock).
    public init(driver: any TerminalDriver, screen: ConsoleScreen, targets: [Target], intervalSeconds: Int, readonly: Bool,
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }, runbooks: [Runbook] = [],
                runRunbook: RunRunbook? = nil, runbookNotice: String? = nil, checkCertificates: CheckCertificates? = nil,
                certificateInterval: Duration = .seconds(300), readSigningKeys: ReadSigningKeys? = nil,
                adminReadInterval: Duration = .seconds(30), readAudit: ReadAudit? = nil, collect: @escaping Collect) {
        self.readAudit = readAudit
        self.checkCertificates = checkCertificates
        self.certificateInterval = certificateInterval
        self.readSigningKeys = readSigningKeys
        self.adminReadInterval = adminReadInterval
        self.driver = driver
        self.screen = screen
        self.targets = targets
        self.collect = collect
        self.now = now
        self.readonly = readonly
        self.runbooks = runbooks
        self.runRunbook = runRunbook
        self.runbookNotice = runbookNotice
        shared = NIOLockedValueBox(Shared(model: OverviewModel(targets: targets), intervalSeconds: intervalSeconds))
    }

    private let readonly: Bool

    /// Runs until `q`; gives the terminal back before returning.
    public func run() async {
        let collector = Task { await collectForever() }
        // Slow reads, each on its own task: a dead endpoint or Admin never delays the probes.
        let slowReads = slowReadSchedule().map { read in Task { await repeatUntilQuit(every: read.interval, read.run) } }
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            let thread = Thread { [self] in
                drawAndReadKeys()
                finished.resume()
            }
            thread.name = "console-terminal"
            thread.start()
        }
        collector.cancel()
        slowReads.forEach { $0.cancel() }
        await collector.value
        for read in slowReads { await read.value }
    }

    /// What the console reads besides the probes, and how often: certificates, signing keys,
    /// the audit trail (each only when the console was given its reader).
    private func slowReadSchedule() -> [(interval: Duration, run: @Sendable () async -> (inout OverviewModel) -> Void)] {
        let now = self.now, targets = self.targets
        var schedule: [(interval: Duration, run: @Sendable () async -> (inout OverviewModel) -> Void)] = []
        if let checkCertificates {
            schedule.append((certificateInterval, {
                let checks = await checkCertificates(targets), at = now()
                return { $0.record(certificates: checks, at: at) }
            }))
        }
        if let readSigningKeys {
            schedule.append((adminReadInterval, {
                let report = await readSigningKeys(), at = now()
                return { $0.record(signingKeys: report, at: at) }
            }))
        }
        if let readAudit {
            schedule.append((adminReadInterval, {
                let report = await readAudit(), at = now()
                return { $0.record(audit: report, at: at) }
            }))
        }
        return schedule
    }

    /// Runs `read` at once and then every `interval` until the console quits; what it returns
    /// updates the model.
    private func repeatUntilQuit(every interval: Duration, _ read: () async -> (inout OverviewModel) -> Void) async {
        while !Task.isCancelled, !shared.withLockedValue({ $0.quitting }) {
            let update = await read()
            shared.withLockedValue { shared in
                update(&shared.model)
                shared.generation += 1
            }
            let started = ContinuousClock.now
            while !Task.isCancelled, !shared.withLockedValue({ $0.quitting }), ContinuousClock.now - started < interval {
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// The terminal thread: redraws when the model, the state or the size changed (and once a
    /// second, for ages), reads keys 100 ms at a time.
    private func drawAndReadKeys() {
        defer { driver.close() }
        let initial = shared.withLockedValue { $0.intervalSeconds }
        var state = ConsoleState(readonly: readonly, intervalSeconds: initial)
        var drawnGeneration = -1, drawnSize = (0, 0), drawnSecond = 0.0, dirty = true, warnedAboutRun = false
        while true {
            if shared.withLockedValue({ $0.quitting }) { return }  // SIGTERM, SIGHUP: quit()
            let (model, generation, activity) = shared.withLockedValue { ($0.model, $0.generation, $0.activity) }
            let size = driver.size, second = now().rounded(.down)
            if dirty || generation != drawnGeneration || size != drawnSize || second != drawnSecond {
                driver.flush(screen.render(state: state, model: model, width: size.width, height: size.height, now: now(),
                                           runbooks: runbooks, activity: activity, runbookNotice: runbookNotice))
                (drawnGeneration, drawnSize, drawnSecond, dirty) = (generation, size, second, false)
            }
            guard let key = driver.nextKey(waitingAtMost: 100) else { continue }
            var effect = state.handle(key, rows: model.rows, runbooks: runbooks, pageSize: max(1, size.height - 5))
            // Quitting while a runbook runs would leave its last call's outcome unknown: say so
            // once; a second q quits anyway.
            if effect == .quit, key != .interrupt, activity?.state == .running, !warnedAboutRun {
                warnedAboutRun = true
                state.note("a runbook is running: wait for it to end (q again quits anyway)")
                effect = .none
            }
            if case .runRunbook(let name, let inputs, let confirmation) = effect { start(name, inputs: inputs, confirmation: confirmation) }
            dirty = true
            shared.withLockedValue { shared in
                shared.paused = state.paused
                shared.intervalSeconds = state.intervalSeconds
                if effect == .refreshNow { shared.refreshRequested = true }
                if effect == .quit { shared.quitting = true }
            }
            if effect == .quit { return }
        }
    }

    /// Asks the loop to end (from a signal handler's task): the terminal is given back and
    /// `run()` returns.
    public func quit() { shared.withLockedValue { $0.quitting = true } }

    /// Runs a runbook in the background; its events show in its view as they come.
    private func start(_ name: String, inputs: [String: String], confirmation: String?) {
        guard let runbook = runbooks.first(where: { $0.name == name }), let runRunbook else { return }
        let started = shared.withLockedValue { shared -> Bool in
            guard shared.activity?.state != .running else { return false }
            shared.activity = RunbookActivity(runbook: name)
            shared.generation += 1
            return true
        }
        guard started else { return }
        let shared = self.shared
        Task {
            let failure: String?
            do {
                let values = try RunbookRunner.resolveInputs(runbook, given: inputs)
                let result = try await runRunbook(runbook, values, confirmation) { event in
                    shared.withLockedValue { $0.activity?.record(event); $0.generation += 1 }
                }
                failure = result.failure
            } catch {
                failure = String(describing: error)
            }
            shared.withLockedValue { $0.activity?.finish(failure: failure); $0.generation += 1 }
        }
    }

    /// The collector: a pass, then the interval (cut short by `r` or by quitting).
    private func collectForever() async {
        while !Task.isCancelled {
            let (paused, refresh, quitting) = shared.withLockedValue { shared in
                defer { shared.refreshRequested = false }
                return (shared.paused, shared.refreshRequested, shared.quitting)
            }
            if quitting { return }
            if !paused || refresh {
                let probes = await collect(targets)
                shared.withLockedValue { shared in
                    for probe in probes { shared.model.record(probe) }
                    shared.generation += 1
                }
            }
            let started = ContinuousClock.now
            while !Task.isCancelled {
                let (interval, refresh, quitting) = shared.withLockedValue { ($0.intervalSeconds, $0.refreshRequested, $0.quitting) }
                if refresh || quitting || ContinuousClock.now - started >= .seconds(interval) { break }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
