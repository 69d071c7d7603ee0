/// How a cell is drawn. Colour is never the only signal: every state also has a text marker.
public enum CellStyle: Sendable, Hashable {
    case plain
    case dim
    case bold
    case title
    case selected
    case good
    case warning
    case critical
}

/// One character cell of the screen.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var style: CellStyle

    public init(_ character: Character = " ", style: CellStyle = .plain) {
        self.character = character
        self.style = style
    }
}

/// The screen as rows of cells: layout and drawing write here; a driver flushes it.
public struct CellGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` from column `x` of row `y`, clipped at `maxWidth` (and the edge); returns
    /// the column after the last written character. Control characters become spaces
    /// (`TerminalText`).
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: CellStyle = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for character in TerminalText.printable(text) {
            guard column < limit else { break }
            if column >= 0 { self[column, y] = Cell(character, style: style) }
            column += 1
        }
        return column
    }

    /// Writes `text` on row `y` from the left edge and moves `y` down one, above the status
    /// line only (the last row); below it, nothing is written.
    public mutating func writeLine(at y: inout Int, _ text: String, style: CellStyle = .plain) {
        guard y < height - 1 else { return }
        write(text, x: 0, y: y, style: style)
        y += 1
    }

    /// Fills row `y` from `x` to the right edge with `style` (a selection bar).
    public mutating func fill(row y: Int, from x: Int = 0, style: CellStyle) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<width { self[column, y].style = style }
    }

    /// The rows as plain text, trailing spaces trimmed (what the headless driver prints and
    /// what snapshot tests compare).
    public var text: String {
        (0..<height).map { y in
            var line = String((0..<width).map { self[$0, y].character })
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
