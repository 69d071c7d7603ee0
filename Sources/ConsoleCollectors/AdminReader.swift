import AsyncHTTPClient
import ConsoleModel
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RunbookEngine

/// Reads from the Admin API as the signed-in operator: Admin authorises and audits each read
/// like any other. The token file is read at each call, so signing in after the console started
/// works; a refusal or an absent Admin becomes a sentence for the view, never an error.
public struct AdminReader: Sendable {
    let client: HTTPClient
    let adminURL: String
    let tokenFile: String
    let timeout: TimeAmount

    public init(client: HTTPClient, adminURL: String, tokenFile: String, timeout: TimeAmount = .seconds(5)) {
        self.client = client
        self.adminURL = adminURL.hasSuffix("/") ? String(adminURL.dropLast()) : adminURL
        self.tokenFile = tokenFile
        self.timeout = timeout
    }

    /// Auth's signing keys (`keys.read`).
    public func signingKeys() async -> SigningKeysReport {
        struct List: Decodable, Equatable, Sendable { let keys: [SigningKeyRow] }
        return await read("/admin/v1/keys", permission: "keys.read", as: List.self).map(\.keys)
    }

    /// The newest `limit` audit entries (`audit.read`).
    public func audit(limit: Int = 100) async -> AuditReport {
        struct Page: Decodable, Equatable, Sendable { let events: [AuditRow] }
        return await read("/admin/v1/audit?limit=\(limit)", permission: "audit.read", as: Page.self).map(\.events)
    }

    func read<Value: Decodable & Sendable & Equatable>(_ path: String, permission: String, as type: Value.Type) async -> AdminReading<Value> {
        let token: String
        do { token = try OperatorToken.read(from: tokenFile) } catch { return .unavailable("\(error)") }
        var request = HTTPClientRequest(url: adminURL + path)
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        request.headers.add(name: "user-agent", value: "kisum-console")
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 4 << 20)
            return Self.reading(status: Int(response.status.code), body: Data(buffer: body), permission: permission, as: type)
        } catch {
            return .unavailable("Admin at \(adminURL) did not answer: \(String("\(error)".prefix(100)))")
        }
    }

    /// What Admin's answer means for a view.
    static func reading<Value: Decodable & Sendable & Equatable>(status: Int, body: Data, permission: String,
                                                                as type: Value.Type) -> AdminReading<Value> {
        switch status {
        case 200:
            guard let value = try? decoder.decode(type, from: body) else { return .unavailable("Admin's answer could not be read") }
            return .value(value)
        case 401: return .unavailable("Admin refused your token (401): sign in again (kisum-ops signin --email YOU)")
        case 403: return .unavailable("Your platform role may not do this (403: \(permission))")
        default: return .unavailable("Admin answered \(status)")
        }
    }

    /// Admin's dates: ISO 8601, with or without fractions of a second.
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: .iso8601) { return date }
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 date: \(text)"))
        }
        return decoder
    }
}
