import Foundation

/// One of Auth's signing keys as Admin lists it (`GET /admin/v1/keys`).
public struct SigningKeyRow: Sendable, Equatable, Decodable {
    public let kid: String
    /// `pending` (published, not signing yet), `active` (signing), `retiring` (published until `retireAt`).
    public let state: String
    public let createdAt: Date
    public let activateAt: Date
    public let retireAt: Date?

    public init(kid: String, state: String, createdAt: Date, activateAt: Date, retireAt: Date?) {
        self.kid = kid
        self.state = state
        self.createdAt = createdAt
        self.activateAt = activateAt
        self.retireAt = retireAt
    }

    enum CodingKeys: String, CodingKey {
        case kid, state
        case createdAt = "created_at"
        case activateAt = "activate_at"
        case retireAt = "retire_at"
    }
}

/// The signing keys as last read, or why they could not be.
public typealias SigningKeysReport = AdminReading<[SigningKeyRow]>

extension AdminReading where Value == [SigningKeyRow] {
    /// What an on-call engineer should notice: no active key, or more than one.
    public var problem: String? {
        guard case .value(let keys) = self else { return nil }
        let active = keys.filter { $0.state == "active" }.count
        if active == 0 { return "no active signing key: nothing can be signed" }
        if active > 1 { return "\(active) keys claim to be active" }
        return nil
    }
}
