import HTTPTypes
import PlatformKit

/// The error codes of access decisions, defined once for Auth, Admin and every backend.
public enum AccessError {
    /// No bearer token, or one that does not verify (signature, kid, issuer, audience, expiry).
    public static let invalidToken = PlatformError.Code("invalid_token", .unauthorized)
    /// The token's session has ended (signed out, revoked, expired, user disabled).
    public static let sessionRevoked = PlatformError.Code("session_revoked", .unauthorized)
    /// The request names no company (`x-org`) where the route needs one.
    public static let orgRequired = PlatformError.Code("org_required", .badRequest)
    /// The user is not a member of the company named by `x-org`.
    public static let notAMember = PlatformError.Code("not_a_member", .forbidden)
    /// The membership or the company is not active.
    public static let accessInactive = PlatformError.Code("access_inactive", .forbidden)
    /// The company is not entitled to the route's module, or the membership holds no grant for it.
    public static let moduleNotEnabled = PlatformError.Code("module_not_enabled", .forbidden)
    /// The membership lacks the route's permission.
    public static let permissionDenied = PlatformError.Code("permission_denied", .forbidden)
    /// Neither a current change feed nor Auth can vouch for the request: refused, never guessed.
    public static let accessUnavailable = PlatformError.Code("access_unavailable", .serviceUnavailable)
}
