import Foundation

/// Any JSON value, to pass a body on to Auth or Core unchanged (they validate it).
enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// A JSON object passed on to Auth or Core as it is, less `confirm` (Admin's own field).
struct PassThroughInput: AdminInput, Encodable {
    var fields: [String: JSONValue]

    var reason: String? { if case .string(let text) = fields["reason"] { text } else { nil } }
    var confirm: String? { if case .string(let text) = fields["confirm"] { text } else { nil } }

    init(from decoder: any Decoder) throws {
        fields = try [String: JSONValue](from: decoder)
    }

    init(fields: [String: JSONValue]) throws {
        self.fields = fields
    }

    func encode(to encoder: any Encoder) throws {
        try fields.filter { $0.key != "confirm" }.encode(to: encoder)
    }

    /// A string field, for audit targets.
    func string(_ name: String) -> String? { if case .string(let text) = fields[name] { text } else { nil } }
}
