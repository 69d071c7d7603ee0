import ConsoleModel
import Foundation
import NIOConcurrencyHelpers

/// Runs the console: a collector task probes the targets in the background, on its interval,
/// while one thread of its own owns the terminal — it draws the model and handles keys, never
/// waiting on the network (a dead target can slow a pass, never the screen).
public final class ConsoleLoop: @unchecked Sendable {
    /// Reads every target once (bounded per target by the collector's timeouts).
    public typealias Collect = @Sendable ([Target]) async -> [Probe]

    private let driver: any TerminalDriver
    private let screen: ConsoleScreen
    private let targets: [Target]
    private let collect: Collect
    private let shared: NIOLockedValueBox<Shared>
    private let now: @Sendable () -> Double

    struct Shared {
        var model: OverviewModel
        var generation = 0
        var paused = false
        var intervalSeconds: Int
        var refreshRequested = false
        var quitting = false
    }

    /// `now`: seconds since the Unix epoch (a test passes its own clock).
    public init(driver: any TerminalDriver, screen: ConsoleScreen, targets: [Target], intervalSeconds: Int, readonly: Bool,
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }, collect: @escaping Collect) {
        self.driver = driver
        self.screen = screen
        self.targets = targets
        self.collect = collect
        self.now = now
        self.readonly = readonly
        shared = NIOLockedValueBox(Shared(model: OverviewModel(targets: targets), intervalSeconds: intervalSeconds))
    }

    private let readonly: Bool

    /// Runs until `q`; gives the terminal back before returning.
    public func run() async {
        let collector = Task { await collectForever() }
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            let thread = Thread { [self] in
                drawAndReadKeys()
                finished.resume()
            }
            thread.name = "console-terminal"
            thread.start()
        }
        collector.cancel()
        await collector.value
    }

    /// The terminal thread: redraws when the model, the state or the size changed (and once a
    /// second, for ages), reads keys 100 ms at a time.
    private func drawAndReadKeys() {
        defer { driver.close() }
        let initial = shared.withLockedValue { $0.intervalSeconds }
        var state = ConsoleState(readonly: readonly, intervalSeconds: initial)
        var drawnGeneration = -1, drawnSize = (0, 0), drawnSecond = 0.0, dirty = true
        while true {
            let (model, generation) = shared.withLockedValue { ($0.model, $0.generation) }
            let size = driver.size, second = now().rounded(.down)
            if dirty || generation != drawnGeneration || size != drawnSize || second != drawnSecond {
                driver.flush(screen.render(state: state, model: model, width: size.width, height: size.height, now: now()))
                (drawnGeneration, drawnSize, drawnSecond, dirty) = (generation, size, second, false)
            }
            guard let key = driver.nextKey(waitingAtMost: 100) else { continue }
            let effect = state.handle(key, rows: model.rows, pageSize: max(1, size.height - 5))
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
