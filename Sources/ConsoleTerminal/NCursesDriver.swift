import CNCurses
import ConsoleModel
import Foundation

/// The real terminal, through ncurses. Only the console loop's terminal thread calls it.
/// Colour unless `NO_COLOR` is set; UTF-8 when the locale says so, ASCII otherwise.
public final class NCursesDriver: TerminalDriver {
    private let window: UnsafeMutablePointer<WINDOW>
    private let colour: Bool
    public let unicode: Bool
    private var shown: CellGrid?

    // ncurses attribute macros Swift cannot import (NCURSES_BITS(mask, shift) = mask << (shift + 8)).
    private static let bold: Int32 = 1 << 21
    private static let dim: Int32 = 1 << 20
    private static let reverse: Int32 = 1 << 18
    private static func pair(_ number: Int32) -> Int32 { number << 8 }

    /// Takes over the terminal; `close()` gives it back.
    public init() throws {
        setlocale(LC_ALL, "")
        unicode = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        guard let window = initscr() else { throw TerminalError("cannot start the terminal (is TERM set?)") }
        self.window = window
        raw()  // Ctrl-C arrives as a key (the loop quits and gives the terminal back)
        noecho()
        keypad(window, true)
        set_escdelay(25)  // Esc answers at once, not after the default second
        curs_set(0)
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        colour = !noColor && has_colors()
        if colour {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_GREEN), -1)
            init_pair(2, Int16(COLOR_YELLOW), -1)
            init_pair(3, Int16(COLOR_RED), -1)
            init_pair(4, Int16(COLOR_BLACK), Int16(COLOR_CYAN))
        }
    }

    public var size: (width: Int, height: Int) { (Int(getmaxx(window)), Int(getmaxy(window))) }

    public func flush(_ grid: CellGrid) {
        let full = shown.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { werase(window) }
        for y in 0..<grid.height {
            if !full, let shown, (0..<grid.width).allSatisfy({ shown[$0, y] == grid[$0, y] }) { continue }
            var x = 0
            while x < grid.width {
                let style = grid[x, y].style
                var run = ""
                let start = x
                while x < grid.width, grid[x, y].style == style {
                    run.append(unicode || grid[x, y].character.isASCII ? grid[x, y].character : "?")
                    x += 1
                }
                // The bottom-right cell would scroll the screen: leave it out.
                if y == grid.height - 1 && x == grid.width { run = String(run.dropLast()) }
                let attributes = attributes(for: style)
                wattron(window, attributes)
                mvwaddstr(window, Int32(y), Int32(start), run)
                wattroff(window, attributes)
            }
        }
        wrefresh(window)
        shown = grid
    }

    public func nextKey(waitingAtMost milliseconds: Int) -> Key? {
        wtimeout(window, Int32(milliseconds))
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == KEY_CODE_YES {
            switch Int32(character) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            default: return nil  // KEY_RESIZE and the rest: the loop redraws at the new size
            }
        }
        guard result == OK else { return nil }
        switch character {
        case 10, 13: return .enter
        case 27: return .escape
        case 3: return .interrupt
        case 9: return .tab
        case 8, 127: return .backspace
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)), scalar.value >= 0x20 else { return nil }
            return .character(Character(scalar))
        }
    }

    public func close() {
        endwin()
    }

    private func attributes(for style: CellStyle) -> Int32 {
        switch style {
        case .plain: 0
        case .dim: Self.dim
        case .bold: Self.bold
        case .title: Self.reverse | Self.bold
        case .selected: colour ? Self.pair(4) : Self.reverse
        case .good: colour ? Self.pair(1) : 0
        case .warning: (colour ? Self.pair(2) : 0) | Self.bold
        case .critical: (colour ? Self.pair(3) : 0) | Self.bold
        }
    }
}

/// The terminal could not be used.
public struct TerminalError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
