/// One environment variable a daemon reads, declared once with everything needed to
/// validate it and to document it.
public struct ConfigKey: Sendable, Hashable {
    /// How the raw string is interpreted.
    public enum Kind: Sendable, Hashable {
        case string
        /// A URL with one of the given schemes.
        case url(schemes: [String])
        /// A whole number within the range.
        case integer(ClosedRange<Int>)
        /// A duration such as `250ms`, `30s`, `15m`, `1h`, or a bare number of seconds.
        case duration
        case boolean
        /// One of a fixed set of words.
        case choice([String])
        /// `host:port`.
        case listenAddress
    }

    /// Whether the variable must be set, and what applies when it is not.
    public enum Requirement: Sendable, Hashable {
        /// Must be set in every environment.
        case required
        /// May be absent; the daemon copes.
        case optional
        /// Falls back to this value in every environment (never for secrets).
        case defaulted(String)
        /// Falls back to this value in `local` only; required everywhere else.
        case localDefault(String)
    }

    public let name: String
    public let kind: Kind
    public let requirement: Requirement
    /// Secrets may be given as `NAME_FILE=/path` and their values are never printed.
    public let isSecret: Bool
    public let summary: String

    public init(_ name: String, _ kind: Kind, _ requirement: Requirement, secret: Bool = false, summary: String) {
        precondition(!(secret && { if case .defaulted = requirement { return true } else { return false } }()),
                     "\(name): a secret cannot have a default outside local")
        self.name = name
        self.kind = kind
        self.requirement = requirement
        self.isSecret = secret
        self.summary = summary
    }
}

extension ConfigKey.Kind {
    /// A short human description, used in error messages and generated docs.
    public var description: String {
        switch self {
        case .string: "text"
        case .url(let schemes): "URL (\(schemes.map { "\($0)://" }.joined(separator: ", ")))"
        case .integer(let range): "integer \(range.lowerBound)...\(range.upperBound)"
        case .duration: "duration (e.g. 250ms, 30s, 15m, 1h)"
        case .boolean: "true|false"
        case .choice(let words): words.joined(separator: "|")
        case .listenAddress: "host:port"
        }
    }
}
