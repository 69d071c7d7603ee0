import Foundation
import JWTKit
import PlatformKit

/// An access token: small and identity-only (no roles, permissions or modules: access is
/// recomputed from Auth and Core data on every check).
public struct AccessTokenClaims: JWTPayload, Equatable {
    public var iss: IssuerClaim
    public var aud: AudienceClaim
    public var sub: SubjectClaim
    public var sid: String
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var jti: IDClaim

    public init(issuer: String, audience: String, userID: UUID, sessionID: UUID, issuedAt: Date, ttl: Duration) {
        iss = .init(value: issuer)
        aud = .init(value: [audience])
        sub = .init(value: userID.lowercased)
        sid = sessionID.lowercased
        iat = .init(value: issuedAt)
        exp = .init(value: issuedAt.addingTimeInterval(ttl.secondsValue))
        jti = .init(value: UUID().lowercased)
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
