@testable import ConsoleModel
import Testing

/// Keys drive the console through one table: moving, drilling down and back, filtering, the
/// palette with completion, refresh settings; typing never triggers commands.
@Suite struct ConsoleStateTests {
    let rows = ConsoleFixtures.model().rows

    func press(_ keys: [Key], on state: inout ConsoleState) -> [ConsoleState.Effect] {
        keys.map { state.handle($0, rows: rows) }
    }

    @Test func movingStaysWithinTheRowsAndEnterOpensTheSelectedService() {
        var state = ConsoleState()
        _ = press([.character("k"), .down, .character("j"), .character("j"), .character("j")], on: &state)
        #expect(state.selection == 2)
        _ = press([.up, .enter], on: &state)
        #expect(state.view == .service(ConsoleFixtures.core))
        _ = press([.escape], on: &state)
        #expect(state.view == .overview)
    }

    @Test func aFilterIsTypedLiveAndCommandKeysAreText() {
        var state = ConsoleState()
        let effects = press([.character("/"), .character("q"), .character("j")], on: &state)
        #expect(effects == [.none, .none, .none])  // "q" was typed, not quit
        #expect(state.mode == .filtering("qj"))
        _ = press([.backspace, .backspace, .character("f"), .character("i")], on: &state)
        #expect(state.visible(rows).map(\.target.service) == ["finance"])
        _ = press([.enter], on: &state)
        #expect(state.filter == "fi" && state.mode == .normal)
        _ = press([.escape], on: &state)
        #expect(state.filter.isEmpty && state.visible(rows).count == 3)
        // States are matched too: "down" finds Core.
        _ = press([.character("/")] + "down".map { .character($0) } + [.enter], on: &state)
        #expect(state.visible(rows).map(\.target.service) == ["core"])
    }

    @Test func thePaletteCompletesAndGoes() {
        var state = ConsoleState()
        _ = press([.character(":"), .character("f"), .tab], on: &state)
        #expect(state.mode == .palette("finance"))
        _ = press([.enter], on: &state)
        #expect(state.view == .service(ConsoleFixtures.finance))
        _ = press([.character(":")] + "nosuch".map { .character($0) } + [.enter], on: &state)
        #expect(state.message?.contains("no view named \"nosuch\"") == true)
        #expect(state.view == .service(ConsoleFixtures.finance))
        _ = press([.character(":")] + "overview".map { .character($0) } + [.enter], on: &state)
        #expect(state.view == .overview)
        _ = press([.escape], on: &state)  // nothing to go back to
        #expect(state.view == .overview)
    }

    @Test func refreshSettingsAndQuitting() {
        var state = ConsoleState(intervalSeconds: 2)
        _ = press([.character("+"), .character("+"), .character("+")], on: &state)
        #expect(state.intervalSeconds == 1)
        _ = press([.character("-"), .character("-"), .character("-"), .character("-"), .character("-"), .character("-")], on: &state)
        #expect(state.intervalSeconds == 30)
        #expect(press([.character(" ")], on: &state) == [.none] && state.paused)
        #expect(press([.character("r")], on: &state) == [.refreshNow])
        #expect(press([.character("/"), .interrupt], on: &state) == [.none, .quit])
        var fresh = ConsoleState()
        #expect(press([.character("q")], on: &fresh) == [.quit])
    }

    @Test func helpIsGeneratedFromTheKeyTableAndNoKeyIsBoundTwice() {
        let lines = KeyTable.helpLines(readonly: false)
        #expect(lines.count == KeyTable.bindings.count)
        for binding in KeyTable.bindings { #expect(lines.contains { $0.contains(binding.summary) }) }
        let keys = KeyTable.bindings.flatMap(\.keys)
        #expect(Set(keys).count == keys.count)
        // Every action has a key.
        #expect(Set(KeyTable.bindings.map(\.action)) == Set(KeyAction.allCases))
    }
}
