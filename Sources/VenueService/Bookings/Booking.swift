import BusinessBackend
import Foundation
import Hummingbird

/// A period a venue is held or confirmed for; confirmed bookings of one venue never overlap.
struct Booking: Codable, Sendable, Equatable, ResponseEncodable {
    let id: UUID
    let venueID: UUID
    var title: String
    var startsAt: Date
    var endsAt: Date
    var status: ReservationStatus
    var notes: String?
    let createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, title, status, notes
        case venueID = "venue_id"
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// What a client sends to book a venue or change a booking (absent fields unchanged on PATCH).
struct BookingInput: Decodable, Sendable {
    let title: String?
    let startsAt: Date?
    let endsAt: Date?
    let status: String?
    let notes: String?

    enum CodingKeys: String, CodingKey {
        case title, status, notes
        case startsAt = "starts_at"
        case endsAt = "ends_at"
    }
}
