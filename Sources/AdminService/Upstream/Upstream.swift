import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import PlatformKit

/// Auth or Core as Admin calls them: signed service credentials, the acting administrator
/// named for their audit trails, and one mapping of their answers. A 4xx from upstream is
/// the caller's problem and passes through with its code; anything else (5xx, timeout,
/// refused connection) is `upstream_unavailable` (503) naming the service.
struct Upstream: Sendable {
    let client: ServiceHTTPClient
    /// Called after every successful write (anything but GET).
    let afterWrite: (@Sendable () -> Void)?

    init(client: ServiceHTTPClient, afterWrite: (@Sendable () -> Void)? = nil) {
        self.client = client
        self.afterWrite = afterWrite
    }

    static let unavailable = PlatformError.Code("upstream_unavailable", .serviceUnavailable)

    /// A successful upstream answer.
    struct Answer: Sendable {
        let status: Int
        let body: ByteBuffer

        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(buffer: body), options: [.fragmentsAllowed]) }

        func decode<Value: Decodable>(_ type: Value.Type) throws -> Value { try JSONDecoder.platform.decode(type, from: Data(buffer: body)) }

        /// The answer as Admin's response, byte for byte.
        var response: Response {
            guard status != 204 else { return Response(status: .noContent) }
            return Response(status: .init(code: status), headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
        }
    }

    /// `changesAccess`: the call may change who may do what (every write but a read by POST),
    /// so `afterWrite` runs when it succeeds.
    func send(_ method: HTTPRequest.Method, _ path: String, json body: (any Encodable & Sendable)? = nil,
              actor: AdminIdentity? = nil, idempotencyKey: String? = nil, changesAccess: Bool? = nil) async throws -> Answer {
        var headers: [(String, String)] = []
        if let actor { headers.append(("x-kisum-acting-user", actor.actingUser)) }
        if let idempotencyKey { headers.append(("idempotency-key", idempotencyKey)) }
        let reply: ServiceHTTPClient.Reply
        do {
            reply = try await client.send(method, path, json: body, headers: headers)
        } catch {
            throw PlatformError(Self.unavailable, "\(client.callee) is unreachable; retry shortly.")
        }
        switch reply.status {
        case 200..<300:
            if changesAccess ?? (method != .get) { afterWrite?() }
            return Answer(status: reply.status, body: reply.body)
        case 400..<500:
            struct Envelope: Decodable { struct Detail: Decodable { let code: String; let message: String }; let error: Detail }
            let detail = try? JSONDecoder().decode(Envelope.self, from: Data(buffer: reply.body)).error
            throw PlatformError(PlatformError.Code(detail?.code ?? "upstream_rejected", .init(code: reply.status)),
                                detail?.message ?? "\(client.callee) refused the request (\(reply.status)).")
        default:
            throw PlatformError(Self.unavailable, "\(client.callee) answered \(reply.status); retry shortly.")
        }
    }
}
