import HTTPTypes
import JWTKit
import PlatformKit

/// The error codes of access decisions, defined once for Auth, Admin and every backend.
public enum AccessError {
    /// No bearer token.
    public static let tokenMissing = PlatformError.Code("token_missing", .unauthorized)
    /// A token whose signature verifies but whose `exp` has passed: refresh and retry.
    public static let tokenExpired = PlatformError.Code("token_expired", .unauthorized)
    /// A token that does not verify (malformed, signature, algorithm, issuer, audience).
    public static let tokenInvalid = PlatformError.Code("token_invalid", .unauthorized)
    /// A token signed by a key the JWKS does not publish (unknown, or retired).
    public static let keyUnknown = PlatformError.Code("key_unknown", .unauthorized)
    /// The token's session has ended (signed out, revoked, expired, user disabled).
    public static let sessionRevoked = PlatformError.Code("session_revoked", .unauthorized)
    /// The request names no company (`x-org`), or not as an id or slug, where the route needs one.
    public static let xOrgMissing = PlatformError.Code("x_org_missing", .badRequest)
    /// The caller may not act in the company `x-org` names — with no hint whether it exists.
    public static let xOrgForbidden = PlatformError.Code("x_org_forbidden", .forbidden)
    /// The membership, the company or the account is not active.
    public static let membershipInactive = PlatformError.Code("membership_inactive", .forbidden)
    /// The company is not entitled to the route's module, or the membership holds no grant for it.
    public static let moduleNotEntitled = PlatformError.Code("module_not_entitled", .forbidden)
    /// The membership lacks the route's permission.
    public static let permissionDenied = PlatformError.Code("permission_denied", .forbidden)
    /// Neither a current change feed nor Auth can vouch for the request: refused, never guessed.
    public static let accessUnavailable = PlatformError.Code("access_unavailable", .serviceUnavailable)

    /// Every code above, plus the JWKS being unreachable: what `kisum_access_refusals_total` counts.
    public static let codes: Set<PlatformError.Code> = [tokenMissing, tokenExpired, tokenInvalid, keyUnknown, sessionRevoked, xOrgMissing,
                                                         xOrgForbidden, membershipInactive, moduleNotEntitled, permissionDenied,
                                                         accessUnavailable, JWKSVerifier.jwksUnavailable]

    /// The refusal for a token whose verification threw `error`: expired (the signature held),
    /// else invalid.
    public static func refusal(verifying error: any Error) -> PlatformError {
        if let error = error as? JWTError, error.failedClaim is ExpirationClaim {
            return PlatformError(tokenExpired, "The access token has expired; refresh it.")
        }
        return PlatformError(tokenInvalid, "The access token is not valid.")
    }
}
