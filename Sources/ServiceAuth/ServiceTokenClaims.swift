import JWTKit

/// The claims of a service credential: a short-lived EdDSA JWT naming the calling service
/// (`iss`/`sub`) and the one callee it is for (`aud`). Never accepted as, or confused with,
/// a user's access token: `kind` is always `service` and the algorithm is always EdDSA.
public struct ServiceTokenClaims: JWTPayload, Equatable {
    public var iss: IssuerClaim
    public var sub: SubjectClaim
    public var aud: AudienceClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var jti: IDClaim
    public var kind: String

    public static let kindValue = "service"

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
