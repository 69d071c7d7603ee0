import Foundation

/// The one reading of `Authorization: Bearer <token>` for every service.
public enum BearerToken {
    /// The token of an `Authorization` header value; nil when it is absent, not a bearer
    /// credential, empty or longer than `maximumLength` bytes.
    public static func parse(_ header: String?, maximumLength: Int = 8192) -> String? {
        guard let header else { return nil }
        let scheme = header.prefix(7)
        guard scheme.count == 7, scheme.lowercased() == "bearer " else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.utf8.count <= maximumLength, !token.contains(" ") else { return nil }
        return token
    }
}
