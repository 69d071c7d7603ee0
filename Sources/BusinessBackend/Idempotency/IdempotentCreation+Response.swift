import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    /// On a create answered from an earlier request with the same `Idempotency-Key`.
    public static let idempotentReplay = HTTPField.Name("idempotent-replay")!
}

extension IdempotentCreation {
    /// The 201 answer of a create: `value`, marked `idempotent-replay: true` when it is an
    /// earlier request's answer given again.
    public static func created<Value: ResponseEncodable>(_ value: Value, replayed: Bool, request: Request,
                                                         context: some RequestContext) throws -> Response {
        var response = try value.response(from: request, context: context)
        response.status = .created
        if replayed { response.headers[.idempotentReplay] = "true" }
        return response
    }
}
