import Foundation
import Hummingbird

/// Something on a company's calendar, optionally with one of its contacts.
struct CalendarEvent: Codable, Sendable, Equatable, ResponseEncodable {
    let id: UUID
    let title: String
    let startsAt: Date
    let endsAt: Date
    let location: String?
    let contactID: UUID?
    let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, title, location
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case contactID = "contact_id"
        case createdAt = "created_at"
    }
}

struct CalendarEventInput: Decodable, Sendable {
    let title: String
    let startsAt: Date
    let endsAt: Date
    let location: String?
    let contactID: UUID?

    enum CodingKeys: String, CodingKey {
        case title, location
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case contactID = "contact_id"
    }
}
