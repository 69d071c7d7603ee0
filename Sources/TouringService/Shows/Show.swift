import BusinessBackend
import Foundation
import Hummingbird

/// One show of a tour: a date, a city, where (a Venue id or a name) and whether it is held,
/// confirmed or canceled.
struct Show: Codable, Sendable, Equatable, ResponseEncodable {
    let id: UUID
    let tourID: UUID
    var date: CalendarDate
    var city: String
    var venueRef: String?
    var status: ReservationStatus
    var notes: String?
    let createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, date, city, status, notes
        case tourID = "tour_id"
        case venueRef = "venue_ref"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// What a client sends to add a show or change one (absent fields unchanged on PATCH).
struct ShowInput: Decodable, Sendable {
    let date: String?
    let city: String?
    let venueRef: String?
    let status: String?
    let notes: String?

    enum CodingKeys: String, CodingKey {
        case date, city, status, notes
        case venueRef = "venue_ref"
    }
}
