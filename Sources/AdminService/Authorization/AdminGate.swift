import AccessControl
import Foundation
import Hummingbird
import Logging
import JWTKit
import PlatformKit
import Prometheus

/// Who may pass: an Auth access token verified against the JWKS, a session Auth says is live,
/// and platform roles that grant the route's permission. Refusals are counted and audited.
struct AdminGate: Sendable {
    let verifier: JWKSVerifier
    let auth: Upstream
    let audit: any AuditLog
    let metrics: PlatformMetrics
    let logger: Logger

    static let notAnAdministrator = PlatformError.Code("not_a_platform_admin", .forbidden)

    /// The administrator behind the request, or 401/403.
    func identify(_ request: Request, _ context: PlatformRequestContext) async throws -> AdminIdentity {
        guard let token = BearerToken.parse(request.headers[.authorization]) else {
            throw PlatformError(.unauthenticated, "Send an access token as Authorization: Bearer.")
        }
        let claims = try await verifier.verify(token)
        guard let user = UUID(uuidString: claims.sub.value), let session = UUID(uuidString: claims.sid) else {
            throw PlatformError(AccessError.invalidToken, "The access token is not valid.")
        }
        struct Decision: Decodable { let allowed: Bool; let reason: String?; let email: String?; let platform_roles: [String] }
        let decision = try await auth.send(.post, "/internal/v1/admin-context",
                                           json: ["session_id": session.lowercased, "user_id": user.lowercased])
            .decode(Decision.self)
        context.notes.identify(userID: user.lowercased, sessionID: session.lowercased)
        guard decision.allowed, let email = decision.email else {
            deny("session", reason: decision.reason ?? "session_revoked")
            throw PlatformError(AccessError.sessionRevoked, "This session has ended; sign in again.")
        }
        return AdminIdentity(userID: user, sessionID: session, email: email, roles: decision.platform_roles,
                             permissions: PlatformRole.permissions(of: decision.platform_roles))
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
