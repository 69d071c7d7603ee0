import PlatformKit
extension RedisClient {
    /// `GET key`; nil when absent.
    public func get(_ key: String) async throws(RedisError) -> [UInt8]? {
        switch try await send(RedisCommand("GET", [key])) {
        case .bulkString(let bytes): bytes
        default: nil
        }
    }

    /// `SET key value [PX ttl]`.
    public func set(_ key: String, _ value: [UInt8], ttl: Duration? = nil) async throws(RedisError) {
        var arguments: [[UInt8]] = [Array("SET".utf8), Array(key.utf8), value]
        if let ttl { arguments += [Array("PX".utf8), Array(String(max(1, Int(ttl.milliseconds))).utf8)] }
        try await send(RedisCommand(rawArguments: arguments))
    }

    /// `DEL key…`; the number removed.
    @discardableResult
    public func delete(_ keys: [String]) async throws(RedisError) -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await send(RedisCommand("DEL", keys)).int ?? 0
    }

    /// Increments `key` and makes sure it expires: one Lua script, so the counter and its
    /// expiry are set together (a timeout between two commands cannot leave a counter that
    /// never expires and locks its subject out for good). A counter found without an expiry
    /// (left by an older client) gets one. Returns the new count.
    public func incrementWindow(_ key: String, window: Duration) async throws(RedisError) -> Int {
        let reply = try await send(RedisCommand("EVAL", [
            Self.incrementWindowScript, "1", key, String(max(1, Int(window.milliseconds))),
        ]))
        guard let count = reply.int, count > 0 else {
            throw RedisError(.protocolError, "the rate-limit script answered \(reply)")
        }
        return count
    }

    static let incrementWindowScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
        end
        return count
        """

    /// `PUBLISH channel message`; the number of subscribers that received it.
    @discardableResult
    public func publish(_ channel: String, _ message: String) async throws(RedisError) -> Int {
        try await send(RedisCommand("PUBLISH", [channel, message])).int ?? 0
    }
}
