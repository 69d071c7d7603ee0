import Foundation

/// Reads a JWT's header before verification, to pick the one key allowed to verify it (jwt-kit
/// would otherwise fall back to a default key for an unknown `kid`). Nothing read here is trusted.
public enum JWTHeaderPeek {
    public struct Fields: Decodable, Sendable, Equatable {
        public let alg: String?
        public let kid: String?
    }

    /// The header's `alg` and `kid`, or nil when the token is not a three-part JWT.
    public static func fields(of token: String) -> Fields? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var base64 = parts[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONDecoder().decode(Fields.self, from: data)
    }
}
