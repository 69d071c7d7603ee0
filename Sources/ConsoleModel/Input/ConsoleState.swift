import RunbookEngine

/// What the console shows and how it was asked to: the current view, selection, filter,
/// typing mode and refresh settings. Pure: keys go in, effects for the driver come out.
public struct ConsoleState: Sendable, Equatable {
    /// A view of the console.
    public enum View: Sendable, Equatable {
        case overview
        case service(Target)
        case alerts
        case runbooks
        case runbook(String)
        case certificates
        case keys
        case audit
        case help
    }

    /// Whether keys are commands or text being typed.
    public enum Mode: Sendable, Equatable {
        case normal
        case filtering(String)
        case palette(String)
        /// Typing the value of a runbook's input (`index` into its inputs).
        case editing(runbook: String, input: Int, text: String)
        /// Typing the confirmation a runbook run needs (`expected`).
        case confirming(runbook: String, expected: String, text: String)
    }

    /// What the driver must do after a key.
    public enum Effect: Sendable, Equatable {
        case none
        case quit
        case refreshNow
        /// Run the runbook (its inputs checked, confirmed as its risk requires).
        case runRunbook(name: String, inputs: [String: String], confirmation: String?)
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
    /// The selected row of the runbooks list.
    public private(set) var runbookSelection = 0
    /// Input values typed per runbook.
    public private(set) var runbookInputs: [String: [String: String]] = [:]
    /// Each runbook's input names, remembered when editing starts (for the prompt).
    private var inputNames: [String: [String]] = [:]
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

    /// The views the palette reaches by name (besides `overview` and the services), in the
    /// order it offers them: one table, so a new view is one line here.
    static let namedViews: [(name: String, view: View)] = [
        ("alerts", .alerts), ("runbooks", .runbooks), ("certificates", .certificates), ("keys", .keys), ("audit", .audit), ("help", .help),
    ]

    /// Names the palette completes and accepts.
    public static func paletteNames(_ rows: [DaemonRow]) -> [String] {
        ["overview"] + namedViews.map(\.name) + rows.map(\.target.service)
    }

    /// Handles one key against the rows on screen.
    public mutating func handle(_ key: Key, rows: [DaemonRow], runbooks: [Runbook] = [], pageSize: Int = 10) -> Effect {
        message = nil
        if key == .interrupt { return .quit }
        switch mode {
        case .filtering(let text): return typeFilter(key, text: text)
        case .palette(let text): return typePalette(key, text: text, rows: rows)
        case .editing(let name, let input, let text): return typeInput(key, runbook: runbooks.first { $0.name == name }, input: input, text: text)
        case .confirming(let name, let expected, let text): return typeConfirmation(key, runbook: name, expected: expected, text: text)
        case .normal: break
        }
        guard let action = KeyTable.action(for: key, readonly: readonly) else { return .none }
        if view == .runbooks || { if case .runbook = view { true } else { false } }() {
            if let effect = handleRunbookKey(action, runbooks: runbooks, pageSize: pageSize) { return effect }
        }
        let count = visible(rows).count
        switch action {
        case .quit: return .quit
        case .help: show(.help)
        case .alerts: show(.alerts)
        case .editInputs, .runRunbook: break  // only in a runbook's view
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

    /// Keys in the runbooks list and a runbook's view; nil: not handled here.
    private mutating func handleRunbookKey(_ action: KeyAction, runbooks: [Runbook], pageSize: Int) -> Effect? {
        switch (view, action) {
        case (.runbooks, .moveUp): runbookSelection = max(0, runbookSelection - 1)
        case (.runbooks, .moveDown): runbookSelection = min(max(0, runbooks.count - 1), runbookSelection + 1)
        case (.runbooks, .pageUp): runbookSelection = max(0, runbookSelection - pageSize)
        case (.runbooks, .pageDown): runbookSelection = min(max(0, runbooks.count - 1), runbookSelection + pageSize)
        case (.runbooks, .drillDown):
            if runbookSelection < runbooks.count { show(.runbook(runbooks[runbookSelection].name)) }
        case (.runbook(let name), .editInputs):
            guard let runbook = runbooks.first(where: { $0.name == name }) else { return Effect.none }
            guard !runbook.inputs.isEmpty else {
                message = "\(name) takes no inputs"
                return Effect.none
            }
            inputNames[name] = runbook.inputs.map(\.name)
            mode = .editing(runbook: name, input: 0, text: runbookInputs[name]?[runbook.inputs[0].name] ?? "")
        case (.runbook(let name), .runRunbook):
            guard let runbook = runbooks.first(where: { $0.name == name }) else { return Effect.none }
            let inputs: [String: String]
            do {
                inputs = try RunbookRunner.resolveInputs(runbook, given: runbookInputs[name] ?? [:])
            } catch {
                message = "cannot run: " + String(describing: error).split(separator: "\n").joined(separator: "; ") + " (e edits the inputs)"
                return Effect.none
            }
            switch runbook.risk {
            case .read: return .runRunbook(name: name, inputs: inputs, confirmation: nil)
            case .change: mode = .confirming(runbook: name, expected: "yes", text: "")
            case .destructive: mode = .confirming(runbook: name, expected: inputs[runbook.confirm ?? ""] ?? "", text: "")
            }
        default: return nil
        }
        return Effect.none
    }

    private mutating func typeInput(_ key: Key, runbook: Runbook?, input: Int, text: String) -> Effect {
        guard let runbook, input < runbook.inputs.count else {
            mode = .normal
            return .none
        }
        switch key {
        case .escape: mode = .normal
        case .backspace: mode = .editing(runbook: runbook.name, input: input, text: String(text.dropLast()))
        case .enter, .tab:
            runbookInputs[runbook.name, default: [:]][runbook.inputs[input].name] = text.isEmpty ? nil : text
            let next = input + 1
            mode = next < runbook.inputs.count
                ? .editing(runbook: runbook.name, input: next, text: runbookInputs[runbook.name]?[runbook.inputs[next].name] ?? "")
                : .normal
        case .character(let character) where !character.isNewline && text.count < 500:
            mode = .editing(runbook: runbook.name, input: input, text: text + String(character))
        default: break
        }
        return .none
    }

    private mutating func typeConfirmation(_ key: Key, runbook: String, expected: String, text: String) -> Effect {
        switch key {
        case .escape:
            mode = .normal
            message = "not run"
        case .backspace: mode = .confirming(runbook: runbook, expected: expected, text: String(text.dropLast()))
        case .enter:
            mode = .normal
            guard text == expected, !expected.isEmpty else {
                message = "not run: the confirmation did not match"
                return .none
            }
            return .runRunbook(name: runbook, inputs: runbookInputs[runbook] ?? [:], confirmation: text)
        case .character(let character) where !character.isNewline && text.count < 500:
            mode = .confirming(runbook: runbook, expected: expected, text: text + String(character))
        default: break
        }
        return .none
    }

    /// Shows `text` in the status line until the next key (a note from the driver's loop).
    public mutating func note(_ text: String) { message = text }

    /// The name of a runbook's input by index (for the typing prompt); the runbooks are not
    /// kept in the state, so the prompt names the index when it cannot know.
    public func inputName(runbook: String, index: Int) -> String {
        inputNames[runbook].flatMap { index < $0.count ? $0[index] : nil } ?? "input \(index + 1)"
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
            } else if let named = Self.namedViews.first(where: { $0.name == name }) {
                show(named.view)
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
