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
    /// `maximumStringBytes`. (Unescaped control characters are invalid JSON already.)
    public static func problem(inJSON json: some Sequence<UInt8>) -> String? {
        var inString = false
        var stringBytes = 0
        var escape: [UInt8]? = nil  // the bytes after a backslash, while reading an escape
        for byte in json {
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

    static func isAllowed(_ scalar: UInt32) -> Bool {
        scalar >= 0x20 || scalar == 0x09 || scalar == 0x0A || scalar == 0x0D
    }
}
