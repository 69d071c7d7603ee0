import AsyncHTTPClient
import ConsoleModel
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RunbookEngine

/// Reads Auth's signing keys through Admin (`GET /admin/v1/keys`) as the signed-in operator:
/// Admin authorises (`keys.read`) and audits it like any other read. The token file is read at
/// each call, so signing in after the console started works.
public struct SigningKeysReader: Sendable {
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

    public func read() async -> SigningKeysReport {
        let token: String
        do { token = try OperatorToken.read(from: tokenFile) } catch { return .unavailable("\(error)") }
        var request = HTTPClientRequest(url: adminURL + "/admin/v1/keys")
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        request.headers.add(name: "user-agent", value: "kisum-console")
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            return Self.report(status: Int(response.status.code), body: Data(buffer: body))
        } catch {
            return .unavailable("Admin at \(adminURL) did not answer: \(String("\(error)".prefix(100)))")
        }
    }

    /// What Admin's answer means for the view.
    static func report(status: Int, body: Data) -> SigningKeysReport {
        switch status {
        case 200:
            struct List: Decodable { let keys: [SigningKeyRow] }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom { decoder in
                let text = try decoder.singleValueContainer().decode(String.self)
                if let date = try? Date(text, strategy: .iso8601) { return date }
                if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 date: \(text)"))
            }
            guard let list = try? decoder.decode(List.self, from: body) else { return .unavailable("Admin's key list could not be read") }
            return .keys(list.keys)
        case 401: return .unavailable("Admin refused your token (401): sign in again (kisum-ops signin --email YOU)")
        case 403: return .unavailable("Your platform role may not read keys (403: keys.read)")
        default: return .unavailable("Admin answered \(status)")
        }
    }
}
