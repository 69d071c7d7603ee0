import Foundation

/// One entry of Admin's audit trail as the console shows it (`GET /admin/v1/audit`).
public struct AuditRow: Sendable, Equatable, Decodable {
    public let id: Int64
    public let createdAt: Date
    public let actorEmail: String
    public let action: String
    public let target: String
    public let outcome: String
    public let errorCode: String?
    public let reason: String?

    public init(id: Int64, createdAt: Date, actorEmail: String, action: String, target: String, outcome: String,
                errorCode: String? = nil, reason: String? = nil) {
        (self.id, self.createdAt, self.actorEmail, self.action, self.target) = (id, createdAt, actorEmail, action, target)
        (self.outcome, self.errorCode, self.reason) = (outcome, errorCode, reason)
    }

    enum CodingKeys: String, CodingKey {
        case id, action, target, outcome, reason
        case createdAt = "created_at"
        case actorEmail = "actor_email"
        case errorCode = "error_code"
    }

    /// Whether the `/` filter keeps it: the text in its actor, action, target, outcome or reason.
    public func matches(_ filter: String) -> Bool {
        guard !filter.isEmpty else { return true }
        let needle = filter.lowercased()
        return [actorEmail, action, target, outcome, reason ?? "", errorCode ?? ""].contains { $0.lowercased().contains(needle) }
    }
}

/// The newest audit entries as last read, or why they could not be.
public typealias AuditReport = AdminReading<[AuditRow]>
