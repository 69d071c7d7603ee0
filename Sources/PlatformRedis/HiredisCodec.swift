import CHiredis
import NIOCore

/// Encodes commands with hiredis's formatter and parses replies with its RESP reader.
/// Not thread-safe: one instance lives on one channel's event loop.
final class HiredisCodec {
    private let reader: UnsafeMutablePointer<redisReader>

    init() {
        guard let reader = redisReaderCreate() else { fatalError("hiredis: out of memory creating a reader") }
        self.reader = reader
    }

    deinit { redisReaderFree(reader) }

    /// Appends the RESP encoding of `command` to `buffer`.
    static func encode(_ command: RedisCommand, into buffer: inout ByteBuffer) {
        let arguments = command.arguments
        var lengths = arguments.map { $0.count }
        var pointers: [UnsafeMutablePointer<CChar>?] = arguments.map { bytes in
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
            bytes.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { pointer.initialize(from: $0.baseAddress!, count: bytes.count) }
            }
            return pointer
        }
        defer { pointers.forEach { $0?.deallocate() } }
        var target: UnsafeMutablePointer<CChar>?
        let length = pointers.withUnsafeMutableBufferPointer { argv in
            argv.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: argv.count) { argvPointer in
                redisFormatCommandArgv(&target, Int32(arguments.count), argvPointer, &lengths)
            }
        }
        guard length > 0, let target else { fatalError("hiredis: cannot format a command (out of memory)") }
        defer { redisFreeCommand(target) }
        buffer.writeBytes(UnsafeRawBufferPointer(start: target, count: Int(length)))
    }

    /// Feeds received bytes to the reader.
    func feed(_ buffer: ByteBuffer) throws(RedisError) {
        let status = buffer.withUnsafeReadableBytes { bytes in
            redisReaderFeed(reader, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        guard status == REDIS_OK else { throw protocolError() }
    }

    /// The next complete reply, or nil when more bytes are needed.
    func nextReply() throws(RedisError) -> RESPValue? {
        var raw: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else { throw protocolError() }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    private func protocolError() -> RedisError {
        let message = withUnsafeBytes(of: reader.pointee.errstr) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return RedisError(.protocolError, "invalid reply from Redis: \(message)")
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RESPValue {
        let value = reply.pointee
        func text() -> [UInt8] {
            guard let pointer = value.str else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: Int(value.len)))
        }
        switch value.type {
        case REDIS_REPLY_STRING: return .bulkString(text())
        case REDIS_REPLY_STATUS: return .simpleString(String(decoding: text(), as: UTF8.self))
        case REDIS_REPLY_ERROR: return .error(String(decoding: text(), as: UTF8.self))
        case REDIS_REPLY_INTEGER: return .integer(Int(value.integer))
        case REDIS_REPLY_ARRAY:
            return .array((0..<Int(value.elements)).map { index in
                value.element[index].map(convert) ?? .null
            })
        default: return .null
        }
    }
}
