import ConsoleModel

/// What the console's loop needs from a terminal. Every call comes from the loop's one thread.
public protocol TerminalDriver: AnyObject {
    /// The screen's size in cells.
    var size: (width: Int, height: Int) { get }
    /// Whether the terminal takes UTF-8 (box drawing, sparklines) or only ASCII.
    var unicode: Bool { get }
    /// Shows `grid` (only what changed since the last flush needs to be written).
    func flush(_ grid: CellGrid)
    /// The next key, waiting at most `milliseconds` (nil: none in that time).
    func nextKey(waitingAtMost milliseconds: Int) -> Key?
    /// Gives the terminal back (called once, also when the loop ends by an error).
    func close()
}
