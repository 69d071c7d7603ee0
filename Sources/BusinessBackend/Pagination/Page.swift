import Hummingbird

/// One page of a list: `{"items": [...], "next_cursor": "…"}` (`next_cursor` absent on the
/// last page).
public struct Page<Item: Encodable & Sendable>: Encodable, Sendable, ResponseEncodable {
    public let items: [Item]
    public let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    /// From up to `request.fetchLimit` rows in position order: a row past the page means
    /// another page follows, starting after the page's last position.
    public init(rows: [(position: Int64, item: Item)], request: PageRequest) {
        let page = rows.prefix(request.limit)
        items = page.map(\.item)
        nextCursor = rows.count > request.limit ? page.last.map { PageCursor.text($0.position) } : nil
    }
}
