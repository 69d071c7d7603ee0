#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The request id and W3C trace context of one request, continued from the caller when
/// sane, otherwise started here. Forwarded on every outgoing service call.
public struct RequestTrace: Sendable, Hashable {
    public let requestID: String
    /// 32 lowercase hex digits.
    public let traceID: String
    /// This service's span for the request: 16 lowercase hex digits.
    public let spanID: String
    /// The caller's span, when continued.
    public let parentSpanID: String?
    public let sampled: Bool

    /// The task-local trace of the request being handled, read by outgoing clients.
    @TaskLocal public static var current: RequestTrace?

    public init(requestID: String, traceID: String, spanID: String, parentSpanID: String?, sampled: Bool) {
        self.requestID = requestID
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.sampled = sampled
    }

    /// Continues the caller's ids when they are well formed; otherwise starts new ones. Every
    /// id it needs comes from one draw of the system's random source.
    public init(requestIDHeader: String?, traceparentHeader: String?) {
        let random = Self.randomBytes(40)  // span 0..<8, trace 8..<24, request id 24..<40
        let requestID = requestIDHeader.flatMap { Self.isSaneRequestID($0) ? $0 : nil } ?? Self.hex(random[24..<40])
        if let header = traceparentHeader, let parent = Self.parseTraceparent(header) {
            self.init(requestID: requestID, traceID: parent.traceID, spanID: Self.hex(random[0..<8]),
                      parentSpanID: parent.spanID, sampled: parent.sampled)
        } else {
            self.init(requestID: requestID, traceID: Self.hex(random[8..<24]), spanID: Self.hex(random[0..<8]),
                      parentSpanID: nil, sampled: true)
        }
    }

    /// This request's `traceparent`, as echoed in the response.
    public var traceparent: String { "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")" }

    /// A `traceparent` for an outgoing call made while handling this request: same trace,
    /// a new child span.
    public func childTraceparent() -> String { "00-\(traceID)-\(Self.randomHex(bytes: 8))-\(sampled ? "01" : "00")" }

    /// 1 to 128 characters of `[A-Za-z0-9._:-]`.
    public static func isSaneRequestID(_ value: String) -> Bool {
        guard (1...128).contains(value.utf8.count) else { return false }
        return value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: "-")
        }
    }

    /// Parses `version-traceid-parentid-flags` per W3C Trace Context (version 00 layout).
    static func parseTraceparent(_ header: String) -> (traceID: String, spanID: String, sampled: Bool)? {
        let parts = header.trimmingPrefixSpaces().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff",
              parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
              parts.prefix(4).allSatisfy({ $0.allSatisfy(\.isLowercaseHexDigit) }),
              parts[1] != Substring(String(repeating: "0", count: 32)),
              parts[2] != Substring(String(repeating: "0", count: 16)),
              let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        if parts[0] == "00" && parts.count != 4 { return nil }
        return (String(parts[1]), String(parts[2]), flags & 1 == 1)
    }

    static func randomHex(bytes: Int) -> String { hex(randomBytes(bytes)[...]) }

    /// `count` bytes from the system's random source in one `read(2)` of `/dev/urandom`
    /// (kept open), not one call per byte; the standard generator if that fails.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            if urandom >= 0, read(urandom, buffer.baseAddress!, count) == count { return }
            var generator = SystemRandomNumberGenerator()
            for index in 0..<count { buffer[index] = UInt8.random(in: 0...255, using: &generator) }
        }
        return bytes
    }

    /// The kernel's random source, opened once.
    private static let urandom: Int32 = open("/dev/urandom", O_RDONLY | O_CLOEXEC)

    /// Lowercase hexadecimal digits of `bytes`.
    static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            var index = 0
            for byte in bytes {
                text[index] = hexDigits[Int(byte >> 4)]
                text[index + 1] = hexDigits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

extension Character {
    fileprivate var isLowercaseHexDigit: Bool { ("0"..."9").contains(self) || ("a"..."f").contains(self) }
}

extension String {
    fileprivate func trimmingPrefixSpaces() -> Substring { self.drop(while: { $0 == " " }) }
}
