import Crypto
import Foundation
import Hummingbird
import PlatformKit

/// The `Idempotency-Key` of a creating request and the fingerprint of its body: a retry with
/// the same key and body gets the first answer again; the same key with another body is refused.
public struct IdempotencyKey: Sendable, Equatable {
    public let value: String
    /// SHA-256 of the route (method and path) and the request body, hex: the same key sent to
    /// another route is another request.
    public let fingerprint: String

    public static let reused = PlatformError.Code("idempotency_key_reused", .unprocessableContent)

    /// From the request's header (1 to 200 printable ASCII characters), or 428 `precondition_required`.
    public init(_ request: Request, body: Data) throws {
        guard let value = request.headers[.idempotencyKey] else {
            throw PlatformError(.preconditionRequired, "Send an Idempotency-Key header (e.g. a UUID) so a retry never books twice.")
        }
        guard (1...200).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw PlatformError(.validationFailed, "Idempotency-Key must be 1 to 200 printable characters without spaces")
        }
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: body)
        self.init(value: value, fingerprint: hasher.finalize().hexEncoded)
    }

    /// The request's key if it sent one (checked as `init(_:body:)` checks it), else nil: for
    /// routes where the key is optional.
    public static func ifSent(_ request: Request, body: Data) throws -> IdempotencyKey? {
        guard request.headers[.idempotencyKey] != nil else { return nil }
        return try IdempotencyKey(request, body: body)
    }

    public init(value: String, fingerprint: String) {
        self.value = value
        self.fingerprint = fingerprint
    }
}
