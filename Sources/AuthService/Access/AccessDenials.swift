import Foundation
import Logging
import PlatformKit
import PlatformRedis
import Prometheus

/// Records refusals caused by revoked or inactive state: a metric by reason (revoked-session
/// usage is its own series, an alert input) and an audit event — one per session, reason and
/// minute while Redis is there to remember (`audit:denied:{session}:{reason}`), so a client
/// retrying a revoked token cannot turn each request into a database write; every one when
/// Redis is not. Recording never changes the answer: if the audit write fails, the refusal
/// stands and the failure is logged.
struct AccessDenials: Sendable {
    let audit: any SessionRepository
    let redis: RedisClient?
    let metrics: PlatformMetrics
    let logger: Logger

    /// Why access was refused.
    enum Reason: String, Sendable, Error {
        case sessionRevoked = "session_revoked"
        case keyRetired = "key_retired"
        case userInactive = "user_inactive"
        case accessInactive = "access_inactive"
        case notAMember = "not_a_member"
    }

    func record(_ reason: Reason, userID: UUID, sessionID: UUID?, company: String?, route: String, requestID: String?) async {
        if reason == .sessionRevoked {
            metrics.counter("kisum_auth_revoked_session_usage_total", help: "Requests presenting a revoked or expired session, by route.",
                            labels: [("route", route)]).increment()
        }
        metrics.counter("kisum_auth_access_denials_total", help: "Access refused by revoked or inactive state, by reason.",
                        labels: [("reason", reason.rawValue)]).increment()
        if let redis, let sessionID,
           let seen = try? await redis.incrementWindow("audit:denied:\(sessionID.lowercased):\(reason.rawValue)", window: .seconds(60)),
           seen > 1 {
            return
        }
        var details = ["route": route]
        if let sessionID { details["session_id"] = sessionID.lowercased }
        if let company { details["company"] = String(company.prefix(100)) }
        do {
            try await audit.audit(actor: userID.lowercased, action: "access_denied", target: sessionID?.lowercased, outcome: reason.rawValue,
                                  requestID: requestID, details: details)
        } catch {
            logger.error("audit of an access denial failed", metadata: ["reason": .string(reason.rawValue), "error_detail": .detail(of: error)])
        }
    }
}
