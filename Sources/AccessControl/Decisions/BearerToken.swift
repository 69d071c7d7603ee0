/// The one reading of `Authorization: Bearer <token>` for every service. It runs on every
/// enforced request, so it stays off Foundation's string search and trimming.
public enum BearerToken {
    /// The token of an `Authorization` header value; nil when it is absent, not a bearer
    /// credential, empty, containing a space, or longer than `maximumLength` bytes.
    public static func parse(_ header: String?, maximumLength: Int = 8192) -> String? {
        guard let header else { return nil }
        let scheme = header.utf8.prefix(7)
        // "bearer " in any case.
        guard scheme.count == 7, zip(scheme, "bearer ".utf8).allSatisfy({ $0 == $1 || ($1 != UInt8(ascii: " ") && $0 | 0x20 == $1) })
        else { return nil }
        let token = HeaderText.trimmed(header.dropFirst(7))
        guard !token.isEmpty, token.utf8.count <= maximumLength else { return nil }
        // A byte scan of the contiguous text (the generic scan of a substring's view cost 1 % of a request).
        let space = UInt8(ascii: " ")
        guard !(token.utf8.withContiguousStorageIfAvailable { $0.contains(space) } ?? token.utf8.contains(space)) else { return nil }
        return String(token)
    }
}
