import Foundation
import Hummingbird

/// A person a company keeps in its address book.
struct Contact: Codable, Sendable, Equatable, ResponseEncodable {
    let id: UUID
    var name: String
    var email: String?
    var phone: String?
    var notes: String?
    let createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, email, phone, notes
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// What a client sends to create a contact or change one (absent fields unchanged on PATCH).
struct ContactInput: Decodable, Sendable {
    let name: String?
    let email: String?
    let phone: String?
    let notes: String?
}
