/// A key press as the console sees it (the terminal driver translates its codes into these).
public enum Key: Sendable, Hashable {
    case character(Character)
    case up, down, pageUp, pageDown
    case enter, escape, backspace, tab
    /// Ctrl-C: quits from any mode.
    case interrupt

    /// How help and the key table show it.
    public var label: String {
        switch self {
        case .character(" "): "space"
        case .character(let character): String(character)
        case .up: "↑"
        case .down: "↓"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .tab: "Tab"
        case .interrupt: "Ctrl-C"
        }
    }
}
