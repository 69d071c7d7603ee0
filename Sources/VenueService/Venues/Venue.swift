import Foundation
import Hummingbird

/// A place a company books: a name, a city, how many it holds.
struct Venue: Codable, Sendable, Equatable, ResponseEncodable {
    let id: UUID
    var name: String
    var city: String?
    var capacity: Int?
    let createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, city, capacity
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// What a client sends to create a venue or change one (absent fields unchanged on PATCH).
struct VenueInput: Decodable, Sendable {
    let name: String?
    let city: String?
    let capacity: Int?
}
