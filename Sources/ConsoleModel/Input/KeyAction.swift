/// Everything a key can do in the console. Destructive actions are flagged: they always open a
/// typed confirmation that names the target, and `--readonly` removes them.
public enum KeyAction: String, Sendable, CaseIterable {
    case quit, help, alerts, palette, filter
    case moveUp, moveDown, pageUp, pageDown
    case drillDown, back
    case faster, slower, pause, refresh
    case editInputs, runRunbook

    /// Whether it can change anything outside the console (always behind a typed
    /// confirmation when it does; absent with `--readonly`).
    public var isDestructive: Bool { self == .runRunbook }
}

/// The one key table: which keys do what, with the text `?` shows. Help is generated from it.
public struct KeyBinding: Sendable {
    public let keys: [Key]
    public let action: KeyAction
    public let summary: String
}

public enum KeyTable {
    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.character("q")], action: .quit, summary: "quit"),
        KeyBinding(keys: [.character("?")], action: .help, summary: "this help"),
        KeyBinding(keys: [.character("a")], action: .alerts, summary: "alerts (the console's own checks)"),
        KeyBinding(keys: [.character(":")], action: .palette, summary: "go to a view (Tab completes)"),
        KeyBinding(keys: [.character("/")], action: .filter, summary: "filter the list"),
        KeyBinding(keys: [.character("k"), .up], action: .moveUp, summary: "previous row"),
        KeyBinding(keys: [.character("j"), .down], action: .moveDown, summary: "next row"),
        KeyBinding(keys: [.pageUp], action: .pageUp, summary: "a page up"),
        KeyBinding(keys: [.pageDown], action: .pageDown, summary: "a page down"),
        KeyBinding(keys: [.enter], action: .drillDown, summary: "open the selected row"),
        KeyBinding(keys: [.escape], action: .back, summary: "back (or clear the filter)"),
        KeyBinding(keys: [.character("+")], action: .faster, summary: "refresh more often"),
        KeyBinding(keys: [.character("-")], action: .slower, summary: "refresh less often"),
        KeyBinding(keys: [.character(" ")], action: .pause, summary: "pause or resume refreshing"),
        KeyBinding(keys: [.character("r")], action: .refresh, summary: "refresh now"),
        KeyBinding(keys: [.character("e")], action: .editInputs, summary: "a runbook: type its inputs (Enter next, Esc stop)"),
        KeyBinding(keys: [.character("x")], action: .runRunbook, summary: "a runbook: run it (a change asks for yes, a destructive one for its target)"),
    ]

    /// The action bound to `key`, if any (`readonly` hides destructive ones).
    public static func action(for key: Key, readonly: Bool) -> KeyAction? {
        bindings.first { $0.keys.contains(key) && !(readonly && $0.action.isDestructive) }?.action
    }

    /// Help lines: keys, what they do, and a flag on destructive ones.
    public static func helpLines(readonly: Bool) -> [String] {
        bindings.filter { !(readonly && $0.action.isDestructive) }.map { binding in
            let keys = binding.keys.map(\.label).joined(separator: " ")
            let padded = keys + String(repeating: " ", count: max(1, 12 - keys.count))
            return padded + binding.summary + (binding.action.isDestructive ? "  [destructive: typed confirmation]" : "")
        }
    }
}
