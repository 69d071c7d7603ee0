import Foundation
import HTTPTypes
import Hummingbird

/// The one error type every route and middleware throws; mapped once to the HTTP shape
/// `{"error":{"code":"…","message":"…","request_id":"…"}}`.
///
/// Modelled on the swift-nio / jwt-kit struct-with-code shape: the code is stable and machine
/// readable, the message is for people and never carries SQL, stack traces or host names.
public struct PlatformError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code with the HTTP status it maps to.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        public let status: HTTPResponse.Status

        public init(_ name: String, _ status: HTTPResponse.Status) {
            self.name = name
            self.status = status
        }

        public var description: String { name }

        public static let invalidRequest = Code("invalid_request", .badRequest)
        public static let validationFailed = Code("validation_failed", .unprocessableContent)
        public static let malformedJSON = Code("malformed_json", .badRequest)
        /// Text with control characters (NUL, …), invalid UTF-8 or an excessive length.
        public static let invalidText = Code("invalid_text", .badRequest)
        public static let unsupportedMediaType = Code("unsupported_media_type", .unsupportedMediaType)
        public static let payloadTooLarge = Code("payload_too_large", .contentTooLarge)
        public static let routeNotFound = Code("route_not_found", .notFound)
        public static let methodNotAllowed = Code("method_not_allowed", .methodNotAllowed)
        public static let notFound = Code("not_found", .notFound)
        public static let conflict = Code("conflict", .conflict)
        public static let unauthenticated = Code("unauthenticated", .unauthorized)
        public static let forbidden = Code("forbidden", .forbidden)
        public static let preconditionRequired = Code("precondition_required", .preconditionRequired)
        public static let rateLimited = Code("rate_limited", .tooManyRequests)
        public static let dependencyUnavailable = Code("dependency_unavailable", .serviceUnavailable)
        public static let timeout = Code("timeout", .gatewayTimeout)
        public static let internalError = Code("internal_error", .internalServerError)
    }

    public let code: Code
    public let message: String
    /// Extra response headers (e.g. `Retry-After`).
    public var headers: HTTPFields

    public init(_ code: Code, _ message: String, headers: HTTPFields = [:]) {
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(code.name): \(message)" }
}

extension PlatformError {
    /// Maps anything thrown while handling a request to a `PlatformError`.
    public static func from(_ error: any Error) -> PlatformError {
        switch error {
        case let error as PlatformError:
            return error
        case let error as HTTPError:
            switch error.status {
            case .notFound: return PlatformError(.routeNotFound, "No route matches this method and path.")
            case .methodNotAllowed: return PlatformError(.methodNotAllowed, "This route does not accept that method.")
            case .contentTooLarge: return PlatformError(.payloadTooLarge, "The request body is larger than allowed.")
            case .unsupportedMediaType: return PlatformError(.unsupportedMediaType, "Send application/json.")
            case .unauthorized: return PlatformError(.unauthenticated, "Authentication is required.")
            case .forbidden: return PlatformError(.forbidden, "Not allowed.")
            case .badRequest: return PlatformError(.invalidRequest, "The request is not valid.")
            default:
                let code = error.status.code >= 500
                    ? Code.internalError
                    : Code("http_\(error.status.code)", error.status)
                return PlatformError(code, error.status.reasonPhrase)
            }
        case is DecodingError:
            return PlatformError(.malformedJSON, "The request body is not valid JSON for this route.")
        default:
            return PlatformError(.internalError, "An internal error occurred.")
        }
    }
}

/// The JSON body of every error response.
public struct ErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
        public var requestID: String

        enum CodingKeys: String, CodingKey {
            case code, message
            case requestID = "request_id"
        }
    }

    public var error: Detail
}

extension PlatformError {
    /// The HTTP response for this error.
    public func response(requestID: String) -> Response {
        let body = ErrorBody(error: .init(code: code.name, message: message, requestID: requestID))
        let data = (try? JSONEncoder.platform.encode(body)) ?? Data()
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: code.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
