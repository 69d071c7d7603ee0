/// A position in Auth's access change feed: every event at or before it has been delivered.
///
/// Events are ordered by (writing transaction id, event id). Auth hands out only events of
/// transactions that have ended, so no event can ever appear behind a cursor it gave out.
/// Serialised as `"<tx>-<id>"`.
public struct AccessFeedCursor: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let tx: Int64
    public let id: Int64

    public init(tx: Int64, id: Int64) {
        self.tx = tx
        self.id = id
    }

    /// The cursor from its `"<tx>-<id>"` form; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 19 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let tx = Int64(parts[0]), let id = Int64(parts[1]), tx >= 0, id >= 0 else { return nil }
        self.init(tx: tx, id: id)
    }

    public var description: String { "\(tx)-\(id)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.tx, lhs.id) < (rhs.tx, rhs.id) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let cursor = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a feed cursor: \(text)"))
        }
        self = cursor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
