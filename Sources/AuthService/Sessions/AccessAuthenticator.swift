import AccessControl
import Foundation
import Hummingbird
import JWTKit
import PlatformKit

/// The caller behind a valid access token whose session is live.
public struct AccessIdentity: Sendable {
    public let userID: UUID
    public let sessionID: UUID
    /// The key that signed the token.
    public let keyID: String
}

/// Authenticates `Authorization: Bearer` access tokens on Auth's own routes: signature by a
/// published key, issuer and audience, expiry, and a session that is still live in the
/// database (so a revoked session's token is refused at once).
struct AccessAuthenticator: Sendable {
    let ring: KeyRing
    let sessions: any SessionRepository
    let issuer: String
    let audience: String
    let denials: AccessDenials


    func authenticate(_ request: Request, _ context: PlatformRequestContext) async throws -> AccessIdentity {
        let identity = try await verifyToken(request)
        guard try await sessions.isLive(sessionID: identity.sessionID, userID: identity.userID) else {
            try await refuseRevoked(identity, context)
        }
        context.notes.identify(userID: identity.userID.lowercased, sessionID: identity.sessionID.lowercased)
        return identity
    }

    /// The token's identity, checked cryptographically only: the caller must still check that
    /// the session is live (in the same statement as its other reads, on the hot path).
    func verifyToken(_ request: Request) async throws -> AccessIdentity {
        guard let token = BearerToken.parse(request.headers[.authorization]) else {
            throw PlatformError(AccessError.tokenMissing, "Send an access token as Authorization: Bearer.")
        }
        let claims: AccessTokenClaims, kid: String
        do {
            (claims, kid) = try await ring.verify(token, issuer: issuer, audience: audience)
        } catch KeyRingError.unknownKey {
            throw PlatformError(AccessError.keyUnknown, "The access token's signing key is not published.")
        } catch {
            throw AccessError.refusal(verifying: error)
        }
        guard let user = UUID(uuidString: claims.sub.value), let session = UUID(uuidString: claims.sid) else {
            throw PlatformError(AccessError.tokenInvalid, "The access token is not valid.")
        }
        return AccessIdentity(userID: user, sessionID: session, keyID: kid)
    }

    /// Records the use of a revoked session and refuses it.
    func refuseRevoked(_ identity: AccessIdentity, _ context: PlatformRequestContext) async throws -> Never {
        await denials.record(.sessionRevoked, userID: identity.userID, sessionID: identity.sessionID, company: nil, route: "public",
                             requestID: context.trace.requestID)
        throw PlatformError(AccessError.sessionRevoked, "This session has ended; sign in again.")
    }
}
