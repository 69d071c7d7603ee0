import PlatformKit

/// A Redis call failed. Callers treat every code as "the cache is unavailable" and fall
/// back to the source of truth; `server` carries Redis's own error reply.
public struct RedisError: CodedError, Hashable {
    public typealias Code = ErrorCode<RedisError>

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == RedisError {
    /// The circuit breaker is open: Redis failed recently, so the call was not attempted.
    public static let unavailable = Self("redis_unavailable")
    public static let connectFailed = Self("redis_connect_failed")
    public static let timeout = Self("redis_timeout")
    public static let connectionClosed = Self("redis_connection_closed")
    public static let protocolError = Self("redis_protocol_error")
    /// Redis answered with an error reply.
    public static let server = Self("redis_server_error")
    public static let shutdown = Self("redis_client_shut_down")
    /// The calling task was cancelled while it waited for Redis.
    public static let cancelled = Self("redis_cancelled")
}
