/// A Redis reply.
public enum RESPValue: Sendable, Hashable {
    case simpleString(String)
    case error(String)
    case integer(Int)
    case bulkString([UInt8])
    case array([RESPValue])
    case null

    /// The reply as text (simple or bulk string), if it is one.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The reply as an integer (integer reply or a numeric string), if it is one.
    public var int: Int? {
        switch self {
        case .integer(let value): value
        case .bulkString, .simpleString: string.flatMap { Int($0) }
        default: nil
        }
    }

    public var isNull: Bool { self == .null }
}

/// One Redis command: its arguments, binary-safe.
public struct RedisCommand: Sendable, Hashable {
    public let arguments: [[UInt8]]

    public init(_ name: String, _ arguments: [String] = []) {
        self.arguments = [Array(name.utf8)] + arguments.map { Array($0.utf8) }
    }

    public init(rawArguments: [[UInt8]]) {
        precondition(!rawArguments.isEmpty, "a Redis command needs a name")
        self.arguments = rawArguments
    }

    /// The command's name in upper case, for metrics (never its arguments).
    public var name: String { String(decoding: arguments[0], as: UTF8.self).uppercased() }
}
