import BusinessBackend
import Foundation
import Hummingbird

/// Money in (positive) or out (negative), in integer minor units of `currency`.
struct FinanceTransaction: Codable, Sendable, Equatable, ResponseEncodable {
    let id: UUID
    let amountMinor: Int64
    let currency: String
    let category: String
    let bookedOn: CalendarDate
    let counterparty: String?
    let memo: String?
    let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, currency, category, counterparty, memo
        case amountMinor = "amount_minor"
        case bookedOn = "booked_on"
        case createdAt = "created_at"
    }
}

struct FinanceTransactionInput: Decodable, Sendable {
    let amountMinor: Int64
    let currency: String
    let category: String
    let bookedOn: String
    let counterparty: String?
    let memo: String?

    enum CodingKeys: String, CodingKey {
        case currency, category, counterparty, memo
        case amountMinor = "amount_minor"
        case bookedOn = "booked_on"
    }
}
