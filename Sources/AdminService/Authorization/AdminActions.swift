import Foundation
import Hummingbird
import Logging
import PlatformKit
import Prometheus

/// An administrative input: every mutation may carry a reason; high-risk ones must, together
/// with `confirm` naming their target.
protocol AdminInput: Decodable, Sendable {
    var reason: String? { get }
    var confirm: String? { get }
}

/// Runs administrative mutations the one audited way: permission, confirmation for high-risk
/// actions, an audit row written before anything is attempted (no audit, no action), the
/// call, the outcome recorded, a metric by action and outcome.
struct AdminActions: Sendable {
    let gate: AdminGate
    let audit: any AuditLog
    let metrics: PlatformMetrics
    let logger: Logger

    /// What a mutation is about.
    struct Action: Sendable {
        let name: String
        let permission: AdminPermission
        let targetType: String
        let target: String
        /// For high-risk actions: what `confirm` must equal (a slug, a kid, an email, a key).
        var confirmation: String? = nil
    }

    static let confirmationRequired = PlatformError.Code("confirmation_required", .preconditionRequired)
    static let auditUnavailable = PlatformError.Code("audit_unavailable", .serviceUnavailable)

    /// Performs `action`; `identity` when the caller's permission was already checked (before
    /// looking the target up, so a non-administrator learns nothing about targets).
    func perform(_ action: Action, input: some AdminInput, _ request: Request, _ context: PlatformRequestContext,
                 identity checked: AdminIdentity? = nil, before: (@Sendable () async throws -> Upstream.Answer)? = nil,
                 _ body: @Sendable (AdminIdentity) async throws -> Upstream.Answer) async throws -> Response {
        let identity: AdminIdentity
        if let checked { identity = checked } else {
            identity = try await gate.require(action.permission, request, context, target: (action.targetType, action.target))
        }
        guard (input.reason ?? "").count <= 500 else { throw PlatformError(.validationFailed, "reason is at most 500 characters") }
        // The confirmation is checked before anything is fetched for the audit's before-state.
        if let expected = action.confirmation {
            let reason = input.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard input.confirm == expected, !reason.isEmpty else {
                count(action.name, "unconfirmed")
                try? await audit.denied(intent(action, identity, input, context, before: nil), errorCode: Self.confirmationRequired.name)
                throw PlatformError(Self.confirmationRequired,
                                    "\(action.name) is high-risk: send \"confirm\": \"\(expected)\" and a \"reason\".")
            }
        }
        let prior = try? await before?()
        let intent = intent(action, identity, input, context, before: prior.flatMap(Self.auditJSON))
        let id: Int64
        do {
            id = try await audit.begin(intent)
        } catch {
            count(action.name, "audit_unavailable")
            logger.error("admin action refused: the audit trail is unavailable", metadata: ["action": .string(action.name), "error_detail": .detail(of: error)])
            throw PlatformError(Self.auditUnavailable, "The audit trail is unavailable, so no change was made; retry shortly.")
        }
        do {
            let answer = try await body(identity)
            try? await audit.finish(id, outcome: "ok", after: Self.auditJSON(answer), errorCode: nil)
            count(action.name, "ok")
            logger.notice("admin action", metadata: ["action": .string(action.name), "target": .string(action.target),
                                                     "admin_id": .string(identity.userID.lowercased)])
            return answer.response
        } catch {
            let code = (error as? PlatformError)?.code.name ?? "internal_error"
            try? await audit.finish(id, outcome: "failed", after: nil, errorCode: code)
            count(action.name, "failed")
            throw error
        }
    }

    private func intent(_ action: Action, _ identity: AdminIdentity, _ input: some AdminInput, _ context: PlatformRequestContext,
                        before: String?) -> AuditIntent {
        AuditIntent(actor: identity, permission: action.permission, action: action.name, targetType: action.targetType,
                    target: action.target, reason: input.reason, before: before, requestID: context.trace.requestID)
    }

    private func count(_ action: String, _ outcome: String) {
        metrics.counter("kisum_admin_actions_total", help: "Administrative mutations, by action and outcome.",
                        labels: [("action", action), ("outcome", outcome)]).increment()
    }

    /// An upstream answer as audit JSON (objects only, at most 16 KiB).
    static func auditJSON(_ answer: Upstream.Answer) -> String? {
        guard answer.body.readableBytes > 0, answer.body.readableBytes <= 16_384,
              let object = try? answer.json(), object is [String: Any] || object is [Any] else { return nil }
        return String(buffer: answer.body)
    }
}
