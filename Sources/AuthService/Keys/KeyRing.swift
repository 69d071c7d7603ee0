import AccessControl
import Foundation
import JWTKit
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceAuth

/// The keys this instance signs and publishes with, reloaded from the database by the key
/// lifecycle job and after rotations.
public final class KeyRing: Sendable {
    private struct State {
        var keys: [StoredSigningKey] = []
        var signer: AccessTokenSigner?
        var activeKid: String?
        var verifier = JWTKeyCollection()
        var publishedKids: Set<String> = []
    }

    private let state = NIOLockedValueBox(State())
    /// Threads that compute signatures (sized to the cores, as password hashing is).
    private let signing: NIOThreadPool

    public init(signingThreads: Int = System.coreCount) {
        signing = NIOThreadPool(numberOfThreads: max(1, signingThreads))
        signing.start()
    }

    deinit { signing.shutdownGracefully { _ in } }

    /// Replaces the ring with `keys`.
    public func load(_ keys: [StoredSigningKey]) async throws {
        let active = keys.last { $0.state == .active }
        let signer = try active.map { try AccessTokenSigner(privatePEM: $0.material.privatePEM, kid: $0.material.kid) }
        let published = keys.filter { $0.state != .retired }
        let verifier = JWTKeyCollection()
        for key in published {
            await verifier.add(rsa: try Insecure.RSA.PrivateKey(pem: key.material.privatePEM).publicKey,
                               digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.material.kid))
        }
        let kids = Set(published.map(\.material.kid))
        state.withLockedValue {
            $0 = State(keys: keys, signer: signer, activeKid: active?.material.kid, verifier: verifier, publishedKids: kids)
        }
    }

    /// Verifies an access token against the published keys: the kid must be published (no
    /// fallback to a default key), the signature valid, the token unexpired, `iss` and `aud` ours.
    public func verify(_ token: String, issuer: String, audience: String) async throws -> AccessTokenClaims {
        let (verifier, kids) = state.withLockedValue { ($0.verifier, $0.publishedKids) }
        guard let header = JWTHeaderPeek.fields(of: token), header.alg == "RS256", let kid = header.kid, kids.contains(kid) else {
            throw KeyRingError.unknownKey
        }
        let claims = try await verifier.verify(token, as: AccessTokenClaims.self)
        guard claims.iss.value == issuer, claims.aud.value.contains(audience) else { throw KeyRingError.wrongIssuerOrAudience }
        return claims
    }

    /// The kid that signs now, if any.
    public var activeKid: String? { state.withLockedValue { $0.activeKid } }

    /// Every key a verifier may meet: pending, active and retiring.
    public var published: [StoredSigningKey] { state.withLockedValue { $0.keys.filter { $0.state != .retired } } }

    /// The JWKS document.
    public func jwks() -> JWKSDocument { JWKSDocument(keys: published.map(\.material.publicJWK)) }

    /// Signs `claims` with the active key (RS256, `kid` in the header), on the signing threads.
    public func sign(_ claims: some JWTPayload) async throws -> String {
        guard let signer = state.withLockedValue({ $0.signer }) else { throw KeyRingError.noActiveKey }
        return try await signing.runIfActive { try signer.sign(claims) }
    }
}

/// `GET /.well-known/jwks.json`.
public struct JWKSDocument: Codable, Sendable, Equatable {
    public var keys: [SigningKeyMaterial.PublicJWK]
}

enum KeyRingError: Error {
    case noActiveKey
    case unknownKey
    case wrongIssuerOrAudience
}
