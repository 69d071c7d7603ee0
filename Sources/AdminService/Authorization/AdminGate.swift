import AccessControl
import Foundation
import Hummingbird
import Logging
import JWTKit
import PlatformKit
import Prometheus

/// Who may pass: an Auth access token verified against the JWKS, a session that is live and
/// platform roles that grant the route's permission — decided by the shared access layer
/// (from memory while Auth's change feed vouches for it, else by Auth). Refusals are counted
/// and audited.
struct AdminGate: Sendable {
    let enforcer: AccessEnforcer
    let audit: any AuditLog
    let metrics: PlatformMetrics
    let logger: Logger

    static let notAnAdministrator = PlatformError.Code("not_a_platform_admin", .forbidden)

    /// The administrator behind the request, or 401/403.
    func identify(_ request: Request, _ context: PlatformRequestContext) async throws -> AdminIdentity {
        let caller = try await enforcer.identity(authorization: request.headers[.authorization])
        let decision = try await enforcer.platformAdministration(of: caller)
        context.notes.identify(userID: caller.userID.lowercased, sessionID: caller.sessionID.lowercased)
        guard decision.allowed, let email = decision.email else {
            deny("session", reason: decision.reason ?? "session_revoked")
            if decision.reason == "key_retired" { throw PlatformError(AccessError.keyUnknown, "The access token's signing key is retired.") }
            throw PlatformError(AccessError.sessionRevoked, "This session has ended; sign in again.")
        }
        return AdminIdentity(userID: caller.userID, sessionID: caller.sessionID, email: email, roles: decision.platformRoles,
                             permissions: PlatformRole.permissions(of: decision.platformRoles))
    }

    /// The administrator, if they hold `permission`; otherwise 403, counted and audited.
    func require(_ permission: AdminPermission, _ request: Request, _ context: PlatformRequestContext,
                 target: (type: String, id: String) = ("admin", "-")) async throws -> AdminIdentity {
        let identity = try await identify(request, context)
        guard identity.permissions.contains(permission) else {
            deny(permission.rawValue, reason: identity.roles.isEmpty ? "no_platform_role" : "missing_permission")
            let intent = AuditIntent(actor: identity, permission: permission, action: "\(request.method.rawValue) \(context.endpointPath ?? "?")",
                                     targetType: target.type, target: target.id, reason: nil, before: nil, requestID: context.trace.requestID)
            do { try await audit.denied(intent, errorCode: AccessError.permissionDenied.name) } catch {
                logger.error("audit of a denied admin call failed", metadata: ["permission": .string(permission.rawValue), "error_detail": .detail(of: error)])
            }
            if identity.roles.isEmpty {
                throw PlatformError(Self.notAnAdministrator, "Platform administration needs a platform role.")
            }
            throw PlatformError(AccessError.permissionDenied, "Your platform roles do not grant \(permission.rawValue).")
        }
        return identity
    }

    private func deny(_ permission: String, reason: String) {
        metrics.counter("kisum_admin_denied_total", help: "Admin calls refused, by permission and reason.",
                        labels: [("permission", permission), ("reason", reason)]).increment()
    }
}
