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

    /// Whether a metadata key names a credential.
    public static func isSensitive(key: String) -> Bool {
        let lowered = key.lowercased()
        return sensitiveKeyFragments.contains { lowered.contains($0) }
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

    /// Masks credentials found inside free text.
    public static func scrub(_ text: String) -> String {
        // Fast path: nothing that could match.
        guard text.contains("eyJ") || text.contains("-----BEGIN") || text.contains("://")
            || text.range(of: #"(?i)bearer|basic|password|passwd|secret|token|api.?key"#, options: .regularExpression) != nil
        else { return text }
        var result = text
        for (index, pattern) in patterns.enumerated() {
            let range = NSRange(result.startIndex..., in: result)
            let template = index == 3 ? "$1$2\(mask)" : mask
            result = pattern.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return result
    }
}
