import Foundation
import Hummingbird

/// One company's offer on another company's published listing, decided by the listing's owner.
struct Offer: Codable, Sendable, Equatable, ResponseEncodable {
    let id: UUID
    let listingID: UUID
    /// The company that made the offer.
    let companyID: UUID
    let amountMinor: Int64
    let currency: String
    let message: String?
    var status: OfferStatus
    let createdAt: Date
    var decidedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, currency, message, status
        case listingID = "listing_id"
        case companyID = "company_id"
        case amountMinor = "amount_minor"
        case createdAt = "created_at"
        case decidedAt = "decided_at"
    }
}

enum OfferStatus: String, Codable, Sendable {
    case pending, accepted, rejected
}

/// What a client sends to make an offer.
struct OfferInput: Decodable, Sendable {
    let amountMinor: Int64
    let currency: String
    let message: String?

    enum CodingKeys: String, CodingKey {
        case currency, message
        case amountMinor = "amount_minor"
    }
}
