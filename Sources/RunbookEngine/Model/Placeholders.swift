import Foundation

/// `{name}` placeholders in paths and bodies: found, checked, substituted.
enum Placeholders {
    /// The names in `text`, in order.
    static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            names.append(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return names
    }

    /// `text` with every known placeholder replaced (`encode` escapes values, e.g. for paths).
    /// Throws on an unknown name (the validator prevents it; a defect otherwise).
    static func substitute(_ text: String, values: [String: String], encode: (String) -> String = { $0 }) throws -> String {
        var result = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = String(after[..<close])
            guard let value = values[name] else { throw RunbookError.unresolved(name) }
            result += encode(value)
            rest = after[after.index(after: close)...]
        }
        return result + rest
    }

    /// Escapes a value placed in a URL path or query: everything but letters, digits, `-`, `_`
    /// and `~` (dots too, so no value becomes a `..` segment).
    static func urlComponent(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~"))
            ?? value
    }
}

/// Why a runbook cannot be loaded or run, in words for the operator.
public enum RunbookError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(file: String, problems: [String])
    case unknownRunbook(String, known: [String])
    case badInput(String)
    case unresolved(String)
    case notConfirmed(expected: String)

    public var description: String {
        switch self {
        case .invalid(let file, let problems): "\(file) is not a valid runbook:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .unknownRunbook(let name, let known): "no runbook named \"\(name)\" (known: \(known.joined(separator: ", ")))"
        case .badInput(let problem): problem
        case .unresolved(let name): "the placeholder {\(name)} has no value (a step that should capture it did not run)"
        case .notConfirmed(let expected): "not confirmed: type \(expected) exactly to run this destructive runbook"
        }
    }
}
