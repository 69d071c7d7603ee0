import Foundation

/// Keeps credentials out of logs: metadata under a sensitive key is replaced, and anything
/// that looks like a bearer token, JWT, PEM block or `password=` pair inside a value or a
/// message is masked.
public enum LogRedaction {
    public static let mask = "[redacted]"

    /// Metadata keys whose values are never logged.
    static let sensitiveKeyFragments = [
        "password", "passwd", "secret", "token", "authorization", "cookie", "private_key", "privatekey",
        "api_key", "apikey", "credential", "signature", "refresh", "set-cookie",
    ]

    /// The platform's own metadata keys (the access line's and the request's): none names a
    /// credential, so they skip the fragment scan (a test keeps this list honest).
    static let ordinaryKeys: Set<String> = [
        "listener", "route", "path", "status", "duration_ms", "request_id", "trace_id", "method", "user_id", "session_id",
        "company_id", "caller_service", "error_code", "error_message", "error_type", "error_detail",
    ]

    /// Whether a metadata key names a credential.
    public static func isSensitive(key: String) -> Bool {
        if ordinaryKeys.contains(key) { return false }
        return namesCredential(key)
    }

    /// The fragment rule itself.
    static func namesCredential(_ key: String) -> Bool {
        // Non-ASCII keys take Unicode case folding (a Kelvin sign folds to "k").
        guard key.utf8.allSatisfy({ $0 < 0x80 }) else {
            let lowered = key.lowercased()
            return sensitiveKeyFragments.contains { lowered.contains($0) }
        }
        return sensitiveKeyFragments.contains { containsIgnoringASCIICase(key, $0) }
    }

    private static let patterns: [NSRegularExpression] = [
        // JWTs (header.payload[.signature]).
        #"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(\.[A-Za-z0-9_-]*)?"#,
        // Authorization schemes.
        #"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"#,
        // PEM blocks, whole.
        #"-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)"#,
        // key=value and "key":"value" pairs with a sensitive key.
        #"(?i)(password|passwd|secret|token|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"'&,}]+"#,
        // Userinfo in URLs (postgres://user:pass@host).
        #"(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    /// Words whose presence (in any case) sends a text through the patterns; "api" covers
    /// api_key, api-key and apikey, "passw" password and passwd.
    private static let triggers = ["eyj", "-----begin", "://", "bearer", "basic", "passw", "secret", "token", "api"]

    /// Masks credentials found inside free text.
    public static func scrub(_ text: String) -> String {
        // Digits, hex, ids, durations: no trigger can be spelled with these bytes.
        if text.utf8.allSatisfy(isPlainByte) { return text }
        // Fast path, on every logged value: a byte scan, no regular expression, when nothing
        // could match (the common case: routes, statuses, ids, durations). Non-ASCII text always
        // takes the patterns: their case-insensitive matching folds look-alikes ("ſ", "K").
        guard text.utf8.contains(where: { $0 >= 0x80 }) || triggers.contains(where: { containsIgnoringASCIICase(text, $0) })
        else { return text }
        var result = text
        for (index, pattern) in patterns.enumerated() {
            let range = NSRange(result.startIndex..., in: result)
            let template = index == 3 ? "$1$2\(mask)" : mask
            result = pattern.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return result
    }

    /// 0-9, a-f, A-F, `.`, `-`, `_` and space: every trigger needs a byte outside these.
    private static func isPlainByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"),
             UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: " "): true
        default: false
        }
    }

    /// Whether `text` contains `needle` (lowercase ASCII), ignoring ASCII case.
    static func containsIgnoringASCIICase(_ text: String, _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard let first = needle.first else { return true }
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            for start in 0...(bytes.count - needle.count) where bytes[start] | 0x20 == first | 0x20 {
                var matched = true
                for offset in 1..<needle.count where bytes[start + offset] | 0x20 != needle[offset] | 0x20 {
                    matched = false
                    break
                }
                if matched { return true }
            }
            return false
        }
    }
}
