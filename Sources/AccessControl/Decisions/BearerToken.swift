/// The one reading of `Authorization: Bearer <token>` for every service. It runs on every
/// enforced request, so it reads bytes (no Foundation string search or trimming: measured,
/// those cost a quarter of an enforced request).
public enum BearerToken {
    /// The token of an `Authorization` header value; nil when it is absent, not a bearer
    /// credential, empty, containing a space, or longer than `maximumLength` bytes.
    public static func parse(_ header: String?, maximumLength: Int = 8192) -> String? {
        guard let header else { return nil }
        let bytes = header.utf8
        guard bytes.count > 7 else { return nil }
        // "bearer " in any case.
        var index = bytes.startIndex
        for expected in "bearer ".utf8 {
            let byte = bytes[index]
            guard byte == expected || (expected != UInt8(ascii: " ") && byte | 0x20 == expected) else { return nil }
            index = bytes.index(after: index)
        }
        // Surrounding spaces and tabs are ignored; one inside is refused.
        var start = index, end = bytes.endIndex
        while start < end, isBlank(bytes[start]) { start = bytes.index(after: start) }
        while end > start, isBlank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        let token = bytes[start..<end]
        guard !token.isEmpty, token.count <= maximumLength, !token.contains(UInt8(ascii: " ")) else { return nil }
        return String(Substring(token))
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
}
