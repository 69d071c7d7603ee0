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

    /// Continues the caller's ids when they are well formed; otherwise starts new ones.
    public init(requestIDHeader: String?, traceparentHeader: String?) {
        let requestID = requestIDHeader.flatMap { Self.isSaneRequestID($0) ? $0 : nil } ?? Self.randomHex(bytes: 16)
        if let header = traceparentHeader, let parent = Self.parseTraceparent(header) {
            self.init(requestID: requestID, traceID: parent.traceID, spanID: Self.randomHex(bytes: 8),
                      parentSpanID: parent.spanID, sampled: parent.sampled)
        } else {
            self.init(requestID: requestID, traceID: Self.randomHex(bytes: 16), spanID: Self.randomHex(bytes: 8),
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

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var text = ""
        text.reserveCapacity(bytes * 2)
        for _ in 0..<bytes {
            let byte = UInt8.random(in: 0...255, using: &generator)
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return text
    }

    private static let hexDigits: [Character] = Array("0123456789abcdef")
}

extension Character {
    fileprivate var isLowercaseHexDigit: Bool { ("0"..."9").contains(self) || ("a"..."f").contains(self) }
}

extension String {
    fileprivate func trimmingPrefixSpaces() -> Substring { self.drop(while: { $0 == " " }) }
}
