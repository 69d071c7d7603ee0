import HTTPTypes
import Hummingbird
import NIOCore

extension HTTPField.Name {
    /// On a create answered from an earlier request with the same `Idempotency-Key`.
    public static let idempotentReplay = HTTPField.Name("idempotent-replay")!
}

/// What an idempotent create produced: a new value, or an earlier request's answer given again
/// as the JSON it was first sent as.
public enum Created<Value: Sendable>: Sendable {
    case new(Value)
    case replay(json: String)

    /// The outcome with its new value transformed (a replay stays as it was sent).
    public func map<Other>(_ transform: (Value) throws -> Other) rethrows -> Created<Other> {
        switch self {
        case .new(let value): .new(try transform(value))
        case .replay(let json): .replay(json: json)
        }
    }
}

extension IdempotentCreation {
    /// The 201 answer of a create: the new value, or the earlier answer byte for byte, marked
    /// `idempotent-replay: true`.
    public static func created<Value: ResponseEncodable>(_ outcome: Created<Value>, request: Request,
                                                         context: some RequestContext) throws -> Response {
        switch outcome {
        case .new(let value):
            var response = try value.response(from: request, context: context)
            response.status = .created
            return response
        case .replay(let json):
            return Response(status: .created, headers: [.contentType: "application/json; charset=utf-8", .idempotentReplay: "true"],
                            body: .init(byteBuffer: ByteBuffer(string: json)))
        }
    }
}
