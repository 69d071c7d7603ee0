/// The one check of text a client sends, made before any of it reaches SQL, a log or another
/// service: PostgreSQL refuses NUL in text (a 500 if it got that far), control characters
/// corrupt logs and terminals, and an unbounded string is a cheap way to make a server work.
/// Tab, line feed and carriage return stay allowed (free text such as a memo); invalid UTF-8 is
/// refused by the JSON decoder and by `checkURI`.
public enum TextInput {
    /// The longest string a JSON body may carry in one value, in bytes as sent.
    public static let maximumStringBytes = 16 * 1024

    /// Why `json` must be refused, or nil. Scans the raw bytes once: `\u0000`–`\u001f` escapes
    /// other than tab, line feed and carriage return, and strings longer than
    /// `maximumStringBytes`, and DEL and C1 controls written unescaped (JSON allows them; the C0
    /// controls unescaped are invalid JSON already).
    public static func problem(inJSON json: some Sequence<UInt8>) -> String? {
        var inString = false
        var stringBytes = 0
        var escape: [UInt8]? = nil  // the bytes after a backslash, while reading an escape
        var afterC2 = false  // the previous byte was 0xC2, the lead byte of U+0080–U+00BF
        for byte in json {
            defer { afterC2 = inString && escape == nil && byte == 0xC2 }
            guard inString else {
                if byte == UInt8(ascii: "\"") { inString = true; stringBytes = 0 }
                continue
            }
            stringBytes += 1
            if stringBytes > maximumStringBytes {
                return "A text value is longer than \(maximumStringBytes) bytes."
            }
            if var pending = escape {
                pending.append(byte)
                if pending.count == 1 && pending[0] != UInt8(ascii: "u") {
                    escape = nil
                } else if pending.count == 5 {
                    escape = nil
                    if let scalar = UInt32(String(decoding: pending.dropFirst(), as: UTF8.self), radix: 16),
                       !isAllowed(scalar) {
                        return "Text must not contain control characters such as NUL."
                    }
                } else {
                    escape = pending
                }
                continue
            }
            if byte == 0x7F || (afterC2 && (0x80...0x9F).contains(byte)) {
                return "Text must not contain control characters such as NUL."
            }
            if byte == UInt8(ascii: "\\") {
                escape = []
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
        }
        return nil
    }

    /// Why a request target must be refused, or nil: a percent-encoded control character
    /// (`%00`–`%1F`, `%7F`) or percent-encoded bytes that are not UTF-8, in the path or query.
    public static func problem(inURI uri: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(uri.utf8.count)
        var iterator = uri.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else {
                return "The request target has a malformed percent-encoding."
            }
            bytes.append(value)
        }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            return "The request target must not contain control characters."
        }
        if String(validating: bytes, as: UTF8.self) == nil {
            return "The request target is not valid UTF-8."
        }
        return nil
    }

    /// Tab, line feed and carriage return, and everything from space up except DEL and the C1
    /// controls (U+0080–U+009F).
    static func isAllowed(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09, 0x0A, 0x0D: true
        case 0x00..<0x20, 0x7F, 0x80...0x9F: false
        default: true
        }
    }

    /// The length of `text` as JSON Schema's `minLength`/`maxLength` count it: Unicode code
    /// points (Swift's `count` counts grapheme clusters, so documented and enforced limits
    /// would disagree on combining characters and CRLF).
    public static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// 422 `validation_failed` naming `field` unless `text` is `range` code points long.
    public static func requireLength(_ text: String, _ range: ClosedRange<Int>, field: String) throws(PlatformError) {
        guard range.contains(length(text)) else {
            throw PlatformError(.validationFailed, "\(field) must be \(range.lowerBound) to \(range.upperBound) characters")
        }
    }
}

