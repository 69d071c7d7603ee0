import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RunbookEngine

/// Runbook steps over HTTP to the Admin API, as the signed-in operator (bearer token), each
/// call bounded by `timeout`.
public struct AdminHTTPTransport: RunbookTransport {
    let client: HTTPClient
    let adminURL: String
    let token: String
    let timeout: TimeAmount

    public init(client: HTTPClient, adminURL: String, token: String, timeout: TimeAmount = .seconds(15)) {
        self.client = client
        self.adminURL = adminURL.hasSuffix("/") ? String(adminURL.dropLast()) : adminURL
        self.token = token
        self.timeout = timeout
    }

    public func send(method: String, path: String, body: JSONValue?) async throws -> RunbookReply {
        var request = HTTPClientRequest(url: adminURL + path)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        request.headers.add(name: "user-agent", value: "kisum-runbook")
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        }
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return RunbookReply(status: Int(response.status.code), body: try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: bytes)))
    }
}
