/// A Redis call failed. Callers treat every code as "the cache is unavailable" and fall
/// back to the source of truth; `server` carries Redis's own error reply.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The circuit breaker is open: Redis failed recently, so the call was not attempted.
        public static let unavailable = Code("redis_unavailable")
        public static let connectFailed = Code("redis_connect_failed")
        public static let timeout = Code("redis_timeout")
        public static let connectionClosed = Code("redis_connection_closed")
        public static let protocolError = Code("redis_protocol_error")
        /// Redis answered with an error reply.
        public static let server = Code("redis_server_error")
        public static let shutdown = Code("redis_client_shut_down")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
