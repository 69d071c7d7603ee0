import ConsoleModel
import NIOConcurrencyHelpers

/// A terminal without a screen: keys come from a script, flushed grids are kept. For tests and
/// for recording what the console would show.
public final class HeadlessDriver: TerminalDriver, @unchecked Sendable {
    private struct State {
        var keys: [Key?]
        var frames: [CellGrid] = []
        var closed = false
    }

    private let state: NIOLockedValueBox<State>
    public let size: (width: Int, height: Int)
    public let unicode: Bool

    /// `keys`: returned in order, one per `nextKey` (nil entries are "no key this time");
    /// after the script, no more keys.
    public init(width: Int = 80, height: Int = 24, unicode: Bool = true, keys: [Key?] = []) {
        size = (width, height)
        self.unicode = unicode
        state = NIOLockedValueBox(State(keys: keys))
    }

    public func flush(_ grid: CellGrid) { state.withLockedValue { $0.frames.append(grid) } }

    public func nextKey(waitingAtMost milliseconds: Int) -> Key? {
        let next: Key?? = state.withLockedValue { $0.keys.isEmpty ? nil : $0.keys.removeFirst() }
        if let next { return next }
        // Script done: behave like an idle terminal without spinning.
        var pause = timespec(tv_sec: 0, tv_nsec: min(milliseconds, 20) * 1_000_000)
        nanosleep(&pause, nil)
        return nil
    }

    /// Appends keys to the script.
    public func type(_ keys: [Key?]) { state.withLockedValue { $0.keys += keys } }

    public func close() { state.withLockedValue { $0.closed = true } }

    /// Every grid flushed so far.
    public var frames: [CellGrid] { state.withLockedValue { $0.frames } }
    /// The last flushed screen.
    public var screen: CellGrid? { frames.last }
    public var isClosed: Bool { state.withLockedValue { $0.closed } }
    /// Whether every scripted key was read.
    public var scriptDone: Bool { state.withLockedValue { $0.keys.isEmpty } }
}

#if canImport(Glibc)
import Glibc
#endif
