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

    /// Atomically increments `key` and sets its expiry on first use; returns the new count.
    public func incrementWindow(_ key: String, window: Duration) async throws(RedisError) -> Int {
        let replies = try await pipeline([
            RedisCommand("INCR", [key]),
            RedisCommand("PEXPIRE", [key, String(max(1, Int(window.milliseconds))), "NX"]),
        ])
        if case .error(let message) = replies[0] { throw RedisError(.server, message) }
        return replies[0].int ?? 0
    }

    /// `PUBLISH channel message`; the number of subscribers that received it.
    @discardableResult
    public func publish(_ channel: String, _ message: String) async throws(RedisError) -> Int {
        try await send(RedisCommand("PUBLISH", [channel, message])).int ?? 0
    }
}
