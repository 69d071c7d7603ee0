import Foundation

/// One administrative action in the audit trail: who, under which permission, what, on which
/// target, with which reason, before and after, and how it ended.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var id: Int64
    public var createdAt: Date
    public var finishedAt: Date?
    public var actorID: UUID
    public var actorEmail: String
    public var permission: String
    public var action: String
    public var targetType: String
    public var target: String
    public var reason: String?
    public var before: String?
    public var after: String?
    public var outcome: String
    public var errorCode: String?
    public var requestID: String?

    enum CodingKeys: String, CodingKey {
        case id, permission, action, target, reason, before, after, outcome
        case createdAt = "created_at"
        case finishedAt = "finished_at"
        case actorID = "actor_id"
        case actorEmail = "actor_email"
        case targetType = "target_type"
        case errorCode = "error_code"
        case requestID = "request_id"
    }
}

/// Filters of `GET /admin/v1/audit`; `before` is the id cursor of the previous page.
public struct AuditFilter: Sendable {
    public var actorID: UUID?
    public var action: String?
    public var target: String?
    public var outcome: String?
    public var since: Date?
    public var until: Date?
    public var before: Int64?
    public var limit: Int = 50
}

/// What Admin records an action with, before it is attempted.
struct AuditIntent: Sendable {
    let actor: AdminIdentity
    let permission: AdminPermission
    let action: String
    let targetType: String
    let target: String
    let reason: String?
    let before: String?
    let requestID: String?
}

/// The audit trail's storage.
protocol AuditLog: Sendable {
    /// Records an action about to be attempted; the id completes it.
    func begin(_ intent: AuditIntent) async throws -> Int64
    func finish(_ id: Int64, outcome: String, after: String?, errorCode: String?) async throws
    /// Records a refused call (no permission, missing confirmation).
    func denied(_ intent: AuditIntent, errorCode: String) async throws
    func list(_ filter: AuditFilter) async throws -> [AuditEntry]
}
