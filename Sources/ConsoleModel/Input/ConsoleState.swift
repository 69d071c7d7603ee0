/// What the console shows and how it was asked to: the current view, selection, filter,
/// typing mode and refresh settings. Pure: keys go in, effects for the driver come out.
public struct ConsoleState: Sendable, Equatable {
    /// A view of the console.
    public enum View: Sendable, Equatable {
        case overview
        case service(Target)
        case help
    }

    /// Whether keys are commands or text being typed.
    public enum Mode: Sendable, Equatable {
        case normal
        case filtering(String)
        case palette(String)
    }

    /// What the driver must do after a key.
    public enum Effect: Sendable, Equatable {
        case none
        case quit
        case refreshNow
    }

    /// Refresh intervals `+` and `-` step through, in seconds.
    public static let intervals = [1, 2, 5, 10, 30]

    public private(set) var view: View = .overview
    public private(set) var mode: Mode = .normal
    public private(set) var filter = ""
    public private(set) var selection = 0
    public private(set) var paused = false
    public private(set) var intervalSeconds = 2
    /// A one-line message (palette errors, confirmations).
    public private(set) var message: String?
    private var backStack: [View] = []
    public let readonly: Bool

    public init(readonly: Bool = false, intervalSeconds: Int = 2) {
        self.readonly = readonly
        self.intervalSeconds = Self.intervals.min { abs($0 - intervalSeconds) < abs($1 - intervalSeconds) } ?? 2
    }

    /// The overview's rows after the filter (matched against service, instance and state).
    public func visible(_ rows: [DaemonRow]) -> [DaemonRow] {
        let needle = (mode.typedFilter ?? filter).lowercased()
        guard !needle.isEmpty else { return rows }
        return rows.filter { row in
            [row.target.service, row.target.instance, row.health.marker].contains { $0.lowercased().contains(needle) }
        }
    }

    /// Names the palette completes and accepts.
    public static func paletteNames(_ rows: [DaemonRow]) -> [String] {
        ["overview", "help"] + rows.map(\.target.service)
    }

    /// Handles one key against the rows on screen.
    public mutating func handle(_ key: Key, rows: [DaemonRow], pageSize: Int = 10) -> Effect {
        message = nil
        if key == .interrupt { return .quit }
        switch mode {
        case .filtering(let text): return typeFilter(key, text: text)
        case .palette(let text): return typePalette(key, text: text, rows: rows)
        case .normal: break
        }
        guard let action = KeyTable.action(for: key, readonly: readonly) else { return .none }
        let count = visible(rows).count
        switch action {
        case .quit: return .quit
        case .help: show(.help)
        case .palette: mode = .palette("")
        case .filter: mode = .filtering(filter)
        case .moveUp: selection = max(0, selection - 1)
        case .moveDown: selection = min(max(0, count - 1), selection + 1)
        case .pageUp: selection = max(0, selection - pageSize)
        case .pageDown: selection = min(max(0, count - 1), selection + pageSize)
        case .drillDown:
            if view == .overview, selection < count { show(.service(visible(rows)[selection].target)) }
        case .back:
            if let previous = backStack.popLast() {
                view = previous
            } else if !filter.isEmpty {
                filter = ""
                selection = 0
            }
        case .faster: intervalSeconds = Self.intervals.last { $0 < intervalSeconds } ?? intervalSeconds
        case .slower: intervalSeconds = Self.intervals.first { $0 > intervalSeconds } ?? intervalSeconds
        case .pause: paused.toggle()
        case .refresh: return .refreshNow
        }
        return .none
    }

    private mutating func show(_ next: View) {
        guard next != view else { return }
        backStack.append(view)
        view = next
    }

    private mutating func typeFilter(_ key: Key, text: String) -> Effect {
        switch key {
        case .enter:
            filter = text
            mode = .normal
            selection = 0
        case .escape: mode = .normal
        case .backspace: mode = .filtering(String(text.dropLast()))
        case .character(let character) where !character.isNewline: mode = .filtering(text + String(character))
        default: break
        }
        return .none
    }

    private mutating func typePalette(_ key: Key, text: String, rows: [DaemonRow]) -> Effect {
        let names = Self.paletteNames(rows)
        switch key {
        case .escape: mode = .normal
        case .backspace: mode = .palette(String(text.dropLast()))
        case .tab:
            let matches = names.filter { $0.hasPrefix(text.lowercased()) }
            if let first = matches.first { mode = .palette(matches.count == 1 ? first : commonPrefix(matches) ?? first) }
        case .enter:
            mode = .normal
            let name = text.lowercased()
            if name == "overview" {
                backStack.removeAll()
                view = .overview
            } else if name == "help" {
                show(.help)
            } else if let row = rows.first(where: { $0.target.service == name }) {
                show(.service(row.target))
            } else if !name.isEmpty {
                message = "no view named \"\(text)\" (Tab completes: \(names.joined(separator: ", ")))"
            }
        case .character(let character) where !character.isNewline: mode = .palette(text + String(character))
        default: break
        }
        return .none
    }

    private func commonPrefix(_ words: [String]) -> String? {
        guard var prefix = words.first else { return nil }
        for word in words.dropFirst() { while !word.hasPrefix(prefix) { prefix.removeLast() } }
        return prefix
    }
}

extension ConsoleState.Mode {
    /// The filter being typed, shown live.
    var typedFilter: String? {
        if case .filtering(let text) = self { return text }
        return nil
    }
}
