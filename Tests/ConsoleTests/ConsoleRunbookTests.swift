@testable import ConsoleModel
import ConsoleTerminal
import Foundation
import NIOConcurrencyHelpers
import RunbookEngine
import Testing

/// Runbooks from the console: chosen from the list, inputs typed, previewed, and run only
/// after the confirmation their risk asks for; never offered with --readonly.
@Suite struct ConsoleRunbookTests {
    static let signOut = try! RunbookLibrary.parse("""
        name: sign-out
        title: Sign a user out everywhere
        summary: Ends every session of a user.
        risk: destructive
        inputs:
          - { name: email, summary: the email, kind: email }
          - { name: reason, summary: why, kind: text, default: console }
        confirm: email
        steps:
          - name: find
            request: { method: GET, path: "/admin/v1/users?email={email}" }
            capture: { user_id: "users.0.id" }
          - name: revoke
            request: { method: POST, path: "/admin/v1/users/{user_id}/sessions/revoke-all", body: { confirm: "{email}" } }
        """, file: "sign-out.yaml")
    static let overview = try! RunbookLibrary.parse("""
        name: a-overview
        title: The platform
        summary: Reads the overview.
        risk: read
        inputs: []
        steps:
          - name: read
            request: { method: GET, path: "/admin/v1/operations/overview" }
        """, file: "a-overview.yaml")
    static let runbooks = [overview, signOut]

    func press(_ keys: [Key], _ state: inout ConsoleState) -> [ConsoleState.Effect] {
        keys.map { state.handle($0, rows: [], runbooks: Self.runbooks) }
    }

    func typed(_ text: String) -> [Key] { text.map { .character($0) } }

    @Test func aDestructiveRunbookRunsOnlyWithItsTargetTyped() {
        var state = ConsoleState()
        _ = press([.character(":")] + typed("runbooks") + [.enter, .character("j"), .enter], &state)
        #expect(state.view == .runbook("sign-out"))
        // Inputs missing: nothing runs, the operator is told why.
        #expect(press([.character("x")], &state) == [.none])
        #expect(state.message?.contains("email is required") == true)
        // Typing the inputs: "x" and "q" are text here, not commands.
        _ = press([.character("e")] + typed("qx@b.example") + [.enter, .enter], &state)
        #expect(state.mode == .normal && state.runbookInputs["sign-out"] == ["email": "qx@b.example"])
        _ = press([.character("x")], &state)
        #expect(state.mode == .confirming(runbook: "sign-out", expected: "qx@b.example", text: ""))
        #expect(press(typed("yes") + [.enter], &state).last == ConsoleState.Effect.none)
        #expect(state.message == "not run: the confirmation did not match")
        let effects = press([.character("x")] + typed("qx@b.example") + [.enter], &state)
        #expect(effects.last == .runRunbook(name: "sign-out", inputs: ["email": "qx@b.example"], confirmation: "qx@b.example"))
    }

    @Test func aReadRunbookRunsAtOnceAndReadOnlyOffersNoRun() {
        var state = ConsoleState()
        _ = press([.character(":")] + typed("runbooks") + [.enter, .enter], &state)
        #expect(press([.character("x")], &state) == [.runRunbook(name: "a-overview", inputs: [:], confirmation: nil)])
        var readonly = ConsoleState(readonly: true)
        _ = press([.character(":")] + typed("runbooks") + [.enter, .enter, .character("x")], &readonly)
        #expect(readonly.mode == .normal && readonly.message == nil)
        #expect(!KeyTable.helpLines(readonly: true).contains { $0.contains("run it") })
        #expect(KeyTable.helpLines(readonly: false).contains { $0.contains("run it") && $0.contains("[destructive") })
    }

    @Test func theRunbookViewPreviewsThenShowsTheLiveRun() async throws {
        let driver = HeadlessDriver(keys: [.character(":")] + typed("runbooks") + [.enter, .character("j"), .enter, .character("e")]
                                        + typed("a@b.example") + [.enter, .enter])
        let gate = NIOLockedValueBox(false)
        let loop = ConsoleLoop(driver: driver, screen: ConsoleScreen(environment: "test", unicode: true), targets: [], intervalSeconds: 30,
                               readonly: false, runbooks: Self.runbooks, runRunbook: { runbook, inputs, confirmation, events in
            events(.started(step: 1, name: "find", call: "GET /admin/v1/users?email=a%40b.example"))
            while !gate.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            events(.finished(step: 1, status: 200, lines: ["users.0.id: u1"]))
            return RunbookRunner.Result(runbook: runbook.name, succeeded: true, steps: [], captures: [:], failure: nil)
        }) { _ in [] }
        let running = Task { await loop.run() }
        func eventually(_ what: String, _ condition: () -> Bool) async -> Bool {
            for _ in 0..<500 {
                if condition() { return true }
                try? await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("still waiting after 10 s: \(what)")
            return false
        }
        #expect(await eventually("the dry run") { driver.screen?.text.contains("Dry run (nothing called yet):") == true })
        #expect(driver.screen?.text.contains("2. revoke: POST /admin/v1/users/{user_id from step 1}/sessions/revoke-all") == true)
        driver.type([.character("x")] + typed("a@b.example") + [.enter])
        #expect(await eventually("the run's first step on screen") {
            driver.screen.map { $0.text.contains("RUNNING") && $0.text.contains("[1] find: GET /admin/v1/users?email=a%40b.example") } == true
        })
        gate.withLockedValue { $0 = true }
        #expect(await eventually("the run's end") { driver.screen.map { $0.text.contains("DONE") && $0.text.contains("users.0.id: u1") } == true })
        driver.type([.character("q")])
        #expect(await eventually("the loop to end") { driver.isClosed })
        await running.value
    }
}
