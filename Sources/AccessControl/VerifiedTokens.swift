import Foundation
import JWTKit

/// Access tokens whose signature, issuer and audience were already checked, kept until they
/// expire so a token is verified once, not on every request. Bounded; a key's tokens go with
/// the key. A value type: its owner keeps it under the same lock as the keys it trusts, so a
/// retirement and a token verified meanwhile cannot cross.
public struct VerifiedTokens: Sendable {
    /// What a verified token proved.
    public struct Entry: Sendable {
        public let claims: AccessTokenClaims
        public let kid: String
        public let expires: Date
    }

    private var tokens: [String: Entry] = [:]
    /// Tokens kept at most (past it, the expired go, then a random half of the rest).
    public let capacity: Int

    public init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// The entry for `token` while it has not expired.
    public func entry(for token: String, now: Date = Date()) -> Entry? {
        guard let entry = tokens[token], entry.expires > now else { return nil }
        return entry
    }

    public mutating func remember(_ token: String, claims: AccessTokenClaims, kid: String, now: Date = Date()) {
        if tokens.count >= capacity, tokens[token] == nil {
            // Make room for many inserts at once, not one: the expired go, and if that freed
            // less than half, a random half of the rest (they are verified again when next seen).
            tokens = tokens.filter { $0.value.expires > now }
            if tokens.count > capacity / 2 {
                for victim in tokens.keys.shuffled().prefix(tokens.count - capacity / 2) { tokens[victim] = nil }
            }
        }
        tokens[token] = Entry(claims: claims, kid: kid, expires: claims.exp.value)
    }

    /// Forgets every token `kid` signed.
    public mutating func drop(kid: String) {
        tokens = tokens.filter { $0.value.kid != kid }
    }

    public mutating func removeAll() { tokens.removeAll() }

    public var count: Int { tokens.count }
}
