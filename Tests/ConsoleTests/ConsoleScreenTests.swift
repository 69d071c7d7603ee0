@testable import ConsoleModel
import Foundation
import SnapshotTesting
import Testing

/// Rendered screens, compared with the recorded ones in __Snapshots__ (review a change there
/// like code). States are readable without colour: markers, not only styles.
@Suite struct ConsoleScreenTests {
    let model = ConsoleFixtures.model()

    func render(_ keys: [Key] = [], width: Int = 80, height: Int = 24, unicode: Bool = true) -> CellGrid {
        var state = ConsoleState()
        for key in keys { _ = state.handle(key, rows: model.rows) }
        return ConsoleScreen(environment: "local", unicode: unicode).render(state: state, model: model, width: width, height: height, now: 10_010)
    }

    @Test func overviewAt80x24() {
        assertSnapshot(of: render().text, as: .lines)
    }

    @Test func overviewInASCII() {
        let text = render([.down], unicode: false).text
        let ascii = text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii, "\(text)")
        assertSnapshot(of: text, as: .lines)
    }

    @Test func serviceDetailNamesTheFailingCheck() {
        assertSnapshot(of: render([.down, .down, .enter]).text, as: .lines)
    }

    @Test func helpAndTooSmall() {
        assertSnapshot(of: render([.character("?")]).text, as: .lines)
        let small = render(width: 40, height: 10).text
        #expect(small.contains("needs at least 60x12") && small.contains("40x10"))
    }

    @Test func statesCarryTextMarkersAndStyles() {
        let grid = render()
        let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false)
        let core = lines.firstIndex { $0.hasPrefix("core") }!
        #expect(lines[core].contains("DOWN"))
        let stateColumn = lines[core].range(of: "DOWN")!.lowerBound.utf16Offset(in: lines[core])
        #expect(grid[stateColumn, core].style == .critical)
    }

    @Test func everySizeFromTheMinimumUpDrawsWithoutOverflow() {
        for width in [60, 61, 80, 132, 300] {
            for height in [12, 13, 24, 60] {
                let grid = render([.character("j")], width: width, height: height)
                #expect(grid.text.split(separator: "\n", omittingEmptySubsequences: false).count == height)
                #expect(grid.text.contains("auth"))
            }
        }
    }
}

extension ConsoleScreenTests {
    @Test func alertsViewListsTheConsolesOwnChecks() {
        let text = render([.character("a")], width: 160).text
        #expect(text.contains("2 alerts"))
        #expect(text.contains("CRITICAL  DaemonDown            core/local      connection refused"))
        #expect(text.contains("DaemonNotReady") && text.contains("runbook jwt-verification-failing"))
    }
}
