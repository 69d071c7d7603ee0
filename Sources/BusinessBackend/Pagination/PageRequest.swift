import Hummingbird
import PlatformKit

/// Which page of a list a request asks for: `limit` (1…`maximum`, default 50) and `cursor`
/// (the previous page's `next_cursor`). Lists are in creation order and keyed by each row's
/// position (a sequence), so pages stay stable while rows are inserted: no row appears twice,
/// and a row committed before the page that would hold it is read appears on it. (Positions
/// are drawn at insert, not at commit: a row still uncommitted while a later page is read can
/// be passed over — a list is a view of committed rows, not a change feed.)
public struct PageRequest: Sendable, Equatable {
    public let limit: Int
    /// Rows after this position; nil for the first page.
    public let after: Int64?

    public static let invalidCursor = PlatformError.Code("invalid_cursor", .badRequest)

    public init(limit: Int = 50, after: Int64? = nil) {
        self.limit = limit
        self.after = after
    }

    /// From the query string, or 422 `validation_failed` / 400 `invalid_cursor`.
    public init(_ request: Request, defaultLimit: Int = 50, maximum: Int = 100) throws {
        let query = request.uri.queryParameters
        if let raw = query.get("limit") {
            guard let limit = Int(raw), (1...maximum).contains(limit) else {
                throw PlatformError(.validationFailed, "limit must be a number from 1 to \(maximum)")
            }
            self.limit = limit
        } else {
            limit = defaultLimit
        }
        if let raw = query.get("cursor") {
            guard let after = PageCursor.position(raw) else {
                throw PlatformError(Self.invalidCursor, "cursor is not one this service gave out; start again without it")
            }
            self.after = after
        } else {
            after = nil
        }
    }

    /// The position to read after (0 before the first row).
    public var afterPosition: Int64 { after ?? 0 }
    /// Rows to fetch: one more than the page, to know whether another follows.
    public var fetchLimit: Int { limit + 1 }
}

/// The text of a page cursor: opaque to clients, a position to the service.
public enum PageCursor {
    public static func text(_ position: Int64) -> String { "p" + String(position, radix: 36) }

    public static func position(_ text: String) -> Int64? {
        guard text.hasPrefix("p"), text.utf8.count <= 16, let value = Int64(text.dropFirst(), radix: 36), value >= 0 else { return nil }
        return value
    }
}
