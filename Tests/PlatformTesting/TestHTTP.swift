import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ServiceAuth

/// A test's HTTP exchange, read whole.
public struct TestResponse: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: String

    /// The body as JSON.
    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw TestFailure("body is not a JSON object: \(body)")
        }
        return object
    }

    /// The first value of header `name`.
    public func header(_ name: String) -> String? { headers.first(name: name) }

    /// `error.code` of the platform's error shape.
    public var errorCode: String? {
        ((try? json())?["error"] as? [String: Any])?["code"] as? String
    }
}

/// Minimal HTTP calls for tests.
public enum TestHTTP {
    public static func get(_ url: String, headers: [(String, String)] = []) async throws -> TestResponse {
        try await send("GET", url, headers: headers)
    }

    public static func send(_ method: String, _ url: String, headers: [(String, String)] = [], body: String? = nil,
                            timeout: TimeAmount = .seconds(10)) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let started = ContinuousClock.now
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            let collected = try await response.body.collect(upTo: 16 << 20)
            return TestResponse(status: Int(response.status.code), headers: response.headers, body: String(buffer: collected))
        } catch {
            // Name what the test was waiting on: a bare `deadlineExceeded` says nothing of which call.
            throw TestFailure("\(method) \(url): no answer after \(ContinuousClock.now - started) (limit \(timeout)): \(error)")
        }
    }
}

/// The value of one sample in Prometheus text (`name{labels} value`), e.g.
/// `metricValue(body, "kisum_core_outbox_pending")`.
public func metricValue(_ text: String, _ sample: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(sample + " ") {
        return Double(line.dropFirst(sample.count + 1))
    }
    return nil
}

extension TestHTTP {
    /// Calls an internal route the way another service does: a fresh service credential from
    /// `caller` (signed with `key`) for `callee`, JSON when there is a body, and an
    /// idempotency key on writes.
    public static func internalCall(_ method: String, _ url: String, caller: String, key: ServiceKey, callee: String,
                                    body: String? = nil, headers extra: [(String, String)] = [],
                                    idempotencyKey: String? = UUID().uuidString) async throws -> TestResponse {
        let token = try await ServiceCredentialSigner(service: caller, key: key).token(for: callee)
        var headers = [("x-kisum-service-token", token)] + extra
        if body != nil { headers.append(("content-type", "application/json")) }
        if let idempotencyKey, method != "GET" { headers.append(("idempotency-key", idempotencyKey)) }
        return try await send(method, url, headers: headers, body: body)
    }
}
