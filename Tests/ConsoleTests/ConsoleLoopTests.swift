import ConsoleModel
import ConsoleTerminal
import Foundation
import NIOConcurrencyHelpers
import Testing

/// The loop never freezes: a pass that hangs on a target leaves keys and drawing working, and
/// quitting gives the terminal back without waiting for the pass.
@Suite struct ConsoleLoopTests {
    /// Waits (at most `limit`) until `condition` holds; says what it waited for when it does not.
    func eventually(_ what: String, within limit: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("still waiting after \(limit): \(what)")
        return false
    }

    @Test(.timeLimit(.minutes(1))) func keysAndDrawingGoOnWhileAPassHangsAndQuitGivesTheTerminalBack() async throws {
        let passes = NIOLockedValueBox(0)
        let driver = HeadlessDriver(keys: [])
        let loop = ConsoleLoop(driver: driver, screen: ConsoleScreen(environment: "test", unicode: true),
                               targets: ConsoleFixtures.targets, intervalSeconds: 1, readonly: false, now: { 10_000 }) { targets in
            let pass = passes.withLockedValue { $0 += 1; return $0 }
            if pass == 1 {
                return targets.map { Probe(target: $0, at: 10_000, healthFailure: nil, readiness: ConsoleFixtures.ready, metrics: nil) }
            }
            // The second pass hangs (a target that never answers, without a deadline).
            try? await Task.sleep(for: .seconds(3600))
            return []
        }
        let running = Task { await loop.run() }
        #expect(await eventually("the first pass on screen") { driver.screen?.text.contains("3 daemons: 3 up") == true })
        #expect(await eventually("the second pass to start") { passes.withLockedValue { $0 } >= 2 })
        // While it hangs: the palette opens the Finance view and help.
        driver.type([.character(":")] + "finance".map { .character($0) } + [.enter])
        #expect(await eventually("the finance view") { driver.screen?.text.contains("finance/local · UP") == true })
        driver.type([.character("?")])
        #expect(await eventually("help") { driver.screen?.text.contains("Keys (Esc goes back)") == true })
        driver.type([.character("q")])
        #expect(await eventually("the loop to end") { driver.isClosed })
        running.cancel()
        await running.value
    }

    @Test(.timeLimit(.minutes(1))) func pausedTakesNoPassUntilRefreshIsAsked() async throws {
        let passes = NIOLockedValueBox(0)
        let driver = HeadlessDriver(keys: [.character(" ")])
        let loop = ConsoleLoop(driver: driver, screen: ConsoleScreen(environment: "test", unicode: true),
                               targets: [ConsoleFixtures.auth], intervalSeconds: 1, readonly: false) { targets in
            passes.withLockedValue { $0 += 1 }
            return targets.map { Probe(target: $0, at: Date().timeIntervalSince1970, healthFailure: nil, readiness: ConsoleFixtures.ready, metrics: nil) }
        }
        let running = Task { await loop.run() }
        #expect(await eventually("the pause on screen") { driver.screen?.text.contains("PAUSED") == true })
        try await Task.sleep(for: .milliseconds(500))  // a pass begun before the pause has ended
        let paused = passes.withLockedValue { $0 }
        try await Task.sleep(for: .milliseconds(2500))  // two intervals
        #expect(passes.withLockedValue { $0 } == paused)
        driver.type([.character("r")])
        #expect(await eventually("a pass on request") { passes.withLockedValue { $0 } == paused + 1 })
        driver.type([.character("q")])
        #expect(await eventually("the loop to end") { driver.isClosed })
        await running.value
    }
}
