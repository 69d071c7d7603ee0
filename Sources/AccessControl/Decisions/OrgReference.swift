import PlatformKit
import Foundation

/// The company a request names in `x-org`: its id or its slug, normalised once (trimmed,
/// lower-case) for every service and for Auth's own look-ups.
public struct OrgReference: Sendable, Hashable, CustomStringConvertible {
    /// The normalised text: a lower-case UUID or a slug.
    public let value: String
    /// The company id, when the reference is one.
    public let id: UUID?

    /// nil when `raw` is neither a UUID nor a slug (`[a-z0-9][a-z0-9-]{1,62}`).
    public init?(_ raw: String) {
        let text = HeaderText.trimmed(Substring(raw)).lowercased()
        if let id = UUID(text: text) {
            self.id = id
            self.value = id.uuidString.lowercased()
            return
        }
        let bytes = Array(text.utf8)
        guard (2...63).contains(bytes.count), Self.isSlugStart(bytes[0]),
              bytes.dropFirst().allSatisfy({ Self.isSlugStart($0) || $0 == UInt8(ascii: "-") }) else { return nil }
        self.id = nil
        self.value = text
    }

    public var description: String { value }

    /// Whether a company with this id and slug is the one named.
    public func matches(id companyID: UUID, slug: String) -> Bool {
        id.map { $0 == companyID } ?? (slug == value)
    }

    private static func isSlugStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
