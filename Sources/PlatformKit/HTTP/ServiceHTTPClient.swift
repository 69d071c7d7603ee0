import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Supplies the credential header for calls to another service (see `ServiceAuth`).
public protocol OutgoingCredentialProvider: Sendable {
    /// The header name and value that authenticate this service to `callee`.
    func credential(for callee: String) async throws -> (name: String, value: String)
}

/// An HTTP client for calls to another Kisum service. Every call carries the current
/// request's `x-request-id` and a child `traceparent`, the service credential when one is
/// configured, and is bounded by one timeout from the first byte sent to the last byte read.
public struct ServiceHTTPClient: Sendable {
    /// A response's status, headers and body.
    public struct Reply: Sendable {
        public let status: Int
        public let headers: HTTPHeaders
        public let body: ByteBuffer

        public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            try JSONDecoder.platform.decode(Value.self, from: Data(buffer: body))
        }
    }

    public let callee: String
    public let baseURL: String
    public let timeout: Duration
    let client: HTTPClient
    let credentials: (any OutgoingCredentialProvider)?

    /// The credential provider, to derive a client with other settings.
    public var credentialsProvider: (any OutgoingCredentialProvider)? { credentials }

    public init(callee: String, baseURL: String, client: HTTPClient = .shared, timeout: Duration = .seconds(5),
                credentials: (any OutgoingCredentialProvider)? = nil) {
        self.callee = callee
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.client = client
        self.timeout = timeout
        self.credentials = credentials
    }

    /// Sends a request; `body`, when given, is sent as JSON.
    public func send(_ method: HTTPRequest.Method, _ path: String, json body: (any Encodable & Sendable)? = nil,
                     headers extra: [(String, String)] = [], maxResponseBytes: Int = 4 << 20) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method.rawValue)
        for (name, value) in Self.propagationHeaders() { request.headers.replaceOrAdd(name: name, value: value) }
        if let credentials {
            let (name, value) = try await credentials.credential(for: callee)
            request.headers.replaceOrAdd(name: name, value: value)
        }
        if let body {
            let data = try JSONEncoder.platform.encode(body)
            request.headers.replaceOrAdd(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        for (name, value) in extra { request.headers.replaceOrAdd(name: name, value: value) }
        let (response, collected) = try await client.exchange(request, timeout: timeout, maxBytes: maxResponseBytes)
        return Reply(status: Int(response.status.code), headers: response.headers, body: collected)
    }

    /// `x-request-id` and a child `traceparent` for the request being handled, if any.
    public static func propagationHeaders() -> [(String, String)] {
        guard let trace = RequestTrace.current else { return [] }
        return [("x-request-id", trace.requestID), ("traceparent", trace.childTraceparent())]
    }
}
