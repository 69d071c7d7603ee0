import Foundation
import Hummingbird
import PlatformKit

extension AdminRoutes {
    struct AuditPage: Encodable, Sendable, ResponseEncodable {
        let events: [AuditEntry]
        let nextBefore: Int64?
        enum CodingKeys: String, CodingKey { case events, nextBefore = "next_before" }
    }

    /// `GET /admin/v1/audit` (`audit.read`): newest first, filtered by actor, action, target,
    /// outcome and time, paginated with `before` (the last id of the previous page).
    func addAudit(to group: RouterGroup<PlatformRequestContext>) {
        group.get("audit") { request, context in
            _ = try await gate.require(.auditRead, request, context)
            let query = request.uri.queryParameters
            var filter = AuditFilter()
            if let actor = query.get("actor_id") {
                guard let id = UUID(uuidString: actor) else { throw PlatformError(.invalidRequest, "actor_id must be a UUID") }
                filter.actorID = id
            }
            filter.action = query.get("action")
            filter.target = query.get("target")
            if let outcome = query.get("outcome") {
                guard ["pending", "ok", "failed", "denied"].contains(outcome) else {
                    throw PlatformError(.invalidRequest, "outcome is pending, ok, failed or denied")
                }
                filter.outcome = outcome
            }
            filter.since = try Self.date(query.get("since"), "since")
            filter.until = try Self.date(query.get("until"), "until")
            if let before = query.get("before") {
                guard let id = Int64(before) else { throw PlatformError(.invalidRequest, "before must be an event id") }
                filter.before = id
            }
            filter.limit = request.pageLimit()
            let events = try await audit.list(filter)
            return AuditPage(events: events, nextBefore: events.count == filter.limit ? events.last?.id : nil)
        }
    }

    static func date(_ text: String?, _ name: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = ISO8601DateFormatter().date(from: text) else { throw PlatformError(.invalidRequest, "\(name) must be an ISO 8601 time") }
        return date
    }
}
