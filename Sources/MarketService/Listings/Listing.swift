import BusinessBackend
import Foundation
import Hummingbird

/// Something a company offers to the market: a draft only its owner sees, then published to
/// every company with the market module, then closed (for good).
struct Listing: Codable, Sendable, Equatable, ResponseEncodable {
    let id: UUID
    /// The owning company.
    let companyID: UUID
    var title: String
    var description: String?
    var priceMinor: Int64?
    var currency: String
    var status: ListingStatus
    let createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, title, description, currency, status
        case companyID = "company_id"
        case priceMinor = "price_minor"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A listing's state; `closed` is final.
enum ListingStatus: String, Codable, StatusLifecycle {
    case draft, published, closed

    /// Whether a listing may go from this state to `next` (staying is always allowed).
    func mayBecome(_ next: ListingStatus) -> Bool {
        switch (self, next) {
        case (.draft, _), (.published, .published), (.published, .closed), (.closed, .closed): true
        case (.published, .draft), (.closed, _): false
        }
    }
}

/// What a client sends to create a listing or change one (absent fields unchanged on PATCH).
struct ListingInput: Decodable, Sendable {
    let title: String?
    let description: String?
    let priceMinor: Int64?
    let currency: String?
    let status: String?

    enum CodingKeys: String, CodingKey {
        case title, description, currency, status
        case priceMinor = "price_minor"
    }
}
