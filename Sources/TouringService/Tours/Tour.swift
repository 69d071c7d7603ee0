import Foundation
import Hummingbird

/// A company's tour: a name, the artist, notes; its shows are listed under it.
struct Tour: Codable, Sendable, Equatable, ResponseEncodable {
    let id: UUID
    var name: String
    var artist: String?
    var notes: String?
    let createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, artist, notes
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// What a client sends to create a tour or change one (absent fields unchanged on PATCH).
struct TourInput: Decodable, Sendable {
    let name: String?
    let artist: String?
    let notes: String?
}
