import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

extension Request {
    /// Decodes a JSON body, answering with the platform's codes: `unsupported_media_type`
    /// when the content type is not JSON, `payload_too_large` past the context's limit and
    /// `malformed_json` when the body does not decode, `invalid_text` for control characters or
    /// overlong strings (`TextInput`).
    public func decodeJSON<Value: Decodable, Context: PlatformContext>(as type: Value.Type = Value.self, context: Context) async throws -> Value {
        try await decodeJSONWithBody(as: type, context: context).value
    }

    /// Like `decodeJSON`, also returning the raw body (e.g. to fingerprint a request).
    public func decodeJSONWithBody<Value: Decodable, Context: PlatformContext>(
        as type: Value.Type = Value.self, context: Context
    ) async throws -> (value: Value, body: Data) {
        guard let contentType = headers[.contentType], Self.isJSON(contentType) else {
            throw PlatformError(.unsupportedMediaType, "Send the body as application/json.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxBodyBytes)
        } catch {
            throw PlatformError(.payloadTooLarge, "The request body is larger than \(context.maxBodyBytes) bytes.")
        }
        if let problem = TextInput.problem(inJSON: buffer.readableBytesView) {
            throw PlatformError(.invalidText, problem)
        }
        let data = Data(buffer: buffer)
        do {
            return (try JSONDecoder.platform.decode(Value.self, from: data), data)
        } catch let error as DecodingError {
            throw PlatformError(.malformedJSON, Self.describe(error))
        }
    }

    static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }

    /// A message naming the offending field, without echoing the body.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let joined = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return joined.isEmpty ? "body" : joined
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "The body is not valid JSON."
        case .dataCorrupted(let context): return "Field \(path(context.codingPath)) has an invalid value."
        case .keyNotFound(let key, let context): return "Field \(path(context.codingPath + [key])) is required."
        case .typeMismatch(_, let context): return "Field \(path(context.codingPath)) has the wrong type."
        case .valueNotFound(_, let context): return "Field \(path(context.codingPath)) must not be null."
        @unknown default: return "The body does not match this route."
        }
    }
}

extension JSONDecoder {
    /// The decoder for request bodies: ISO 8601 dates, with or without fractional seconds
    /// (`2027-05-01T10:00:00Z`, and `2027-05-01T10:00:00.000Z` as JavaScript's `toISOString` writes).
    public static var platform: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Date(iso8601: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected an ISO 8601 date-time.")
            }
            return date
        }
        return decoder
    }
}

extension Date {
    /// An ISO 8601 date-time with a zone, with or without fractional seconds; nil otherwise.
    public init?(iso8601 text: String) {
        if let date = try? Date(text, strategy: .iso8601) {
            self = date
        } else if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            self = date
        } else {
            return nil
        }
    }
}

extension JSONEncoder {
    /// The encoder for responses: ISO 8601 dates, sorted keys, lower-case UUIDs.
    public static var platform: JSONEncoder { PlatformJSONEncoder() }
}
