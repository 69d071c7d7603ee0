import AccessControl
import Foundation
import JWTKit
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PlatformKit
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
        /// Tokens verified by a published key, until they expire (under the same lock as the
        /// keys: a key leaving takes its tokens with it).
        var verified = VerifiedTokens()
        /// Kids the access feed said were retired: never published again, whatever a load that
        /// read the keys before the retirement brings (kept for the process's life; a handful).
        var refused: Set<String> = []
        /// The ticket of the reload applied last (see `reload`).
        var appliedRead = 0
    }

    private let state = NIOLockedValueBox(State())
    /// The JWKS document as served, for the kids it was encoded from (encoded again only when
    /// the published keys change, not on every request).
    private let encodedJWKS = NIOLockedValueBox<(kids: [String], body: ByteBuffer)?>(nil)
    /// Advanced when the ring should be reloaded from the database at once (a key retired
    /// elsewhere: its successor signs now). The key job waits on it.
    public let reloadRequests = ChangeSignal()
    /// Threads that compute signatures (sized to the cores, as password hashing is).
    private let signing: NIOThreadPool

    public init(signingThreads: Int = System.coreCount) {
        signing = NIOThreadPool(numberOfThreads: max(1, signingThreads))
        signing.start()
    }

    deinit { signing.shutdownGracefully { _ in } }

    /// Tickets handed to reloads in the order they start reading.
    private let reads = NIOLockedValueBox(0)

    /// Replaces the ring with what `read` returns, unless a reload that started reading later has
    /// been applied meanwhile: the key job's reload that read the keys just before a rotation
    /// committed, but finished after the rotation's own reload, must not take the new key out of
    /// the JWKS again. Returns what was read.
    @discardableResult
    public func reload(from read: () async throws -> [StoredSigningKey]) async throws -> [StoredSigningKey] {
        let ticket = reads.withLockedValue { reads in
            reads += 1
            return reads
        }
        let keys = try await read()
        try await apply(keys, ticket: ticket)
        return keys
    }

    /// Replaces the ring with `keys` (read now).
    public func load(_ keys: [StoredSigningKey]) async throws {
        try await reload { keys }
    }

    private func apply(_ keys: [StoredSigningKey], ticket: Int) async throws {
        let active = keys.last { $0.state == .active }
        let signer = try active.map { try AccessTokenSigner(privatePEM: $0.material.privatePEM, kid: $0.material.kid) }
        let published = keys.filter { $0.state != .retired }
        let verifier = JWTKeyCollection()
        for key in published {
            await verifier.add(rsa: try Insecure.RSA.PrivateKey(pem: key.material.privatePEM).publicKey,
                               digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.material.kid))
        }
        state.withLockedValue { state in
            guard ticket > state.appliedRead else { return }  // a later read is already in place
            let kids = Set(published.map(\.material.kid)).subtracting(state.refused)
            var verified = state.verified
            for kid in state.publishedKids.subtracting(kids) { verified.drop(kid: kid) }
            let signs = active.map { !state.refused.contains($0.material.kid) } ?? false
            state = State(keys: keys, signer: signs ? signer : nil, activeKid: signs ? active?.material.kid : nil, verifier: verifier,
                          publishedKids: kids, verified: verified, refused: state.refused, appliedRead: ticket)
        }
    }

    /// Verifies an access token against the published keys: the kid must be published (no
    /// fallback to a default key), the signature valid, the token unexpired, `iss` and `aud` ours.
    /// A token verified before (by a key still published) is answered from memory.
    public func verify(_ token: String, issuer: String, audience: String) async throws -> (claims: AccessTokenClaims, kid: String) {
        let (known, verifier, kids) = state.withLockedValue { state in
            (state.verified.entry(for: token).flatMap { state.publishedKids.contains($0.kid) ? $0 : nil }, state.verifier, state.publishedKids)
        }
        if let known {
            guard known.claims.iss.value == issuer, known.claims.aud.value.contains(audience) else { throw KeyRingError.wrongIssuerOrAudience }
            return (known.claims, known.kid)
        }
        guard token.utf8.count <= 8192, let header = JWTHeaderPeek.fields(of: token), header.alg == "RS256", let kid = header.kid else {
            throw KeyRingError.malformed
        }
        guard kids.contains(kid) else { throw KeyRingError.unknownKey }
        let claims = try await verifier.verify(token, as: AccessTokenClaims.self)
        guard claims.iss.value == issuer, claims.aud.value.contains(audience) else { throw KeyRingError.wrongIssuerOrAudience }
        state.withLockedValue { state in
            // Not if the key left the ring while the token was being verified.
            if state.publishedKids.contains(kid) { state.verified.remember(token, claims: claims, kid: kid) }
        }
        return (claims, kid)
    }

    /// Stops accepting `kid` at once (an emergency retirement another instance made, heard
    /// from the access feed before the key job reloads the ring); its tokens are forgotten.
    /// If it was the signing key, nothing is signed until the ring is reloaded (the successor).
    public func refuse(kid: String) {
        state.withLockedValue { state in
            state.refused.insert(kid)
            state.publishedKids.remove(kid)
            state.verified.drop(kid: kid)
            if state.activeKid == kid {
                state.activeKid = nil
                state.signer = nil
            }
        }
    }

    /// The kid that signs now, if any.
    public var activeKid: String? { state.withLockedValue { $0.activeKid } }

    /// Every key a verifier may meet: pending, active and retiring.
    public var published: [StoredSigningKey] {
        state.withLockedValue { state in state.keys.filter { $0.state != .retired && state.publishedKids.contains($0.material.kid) } }
    }

    /// The JWKS document encoded as served; encoded once per set of published keys.
    public func jwksBody() throws -> ByteBuffer {
        let keys = published
        let kids = keys.map(\.material.kid)
        if let encoded = encodedJWKS.withLockedValue({ $0 }), encoded.kids == kids { return encoded.body }
        let body = ByteBuffer(bytes: try JSONEncoder.platform.encode(JWKSDocument(keys: keys.map(\.material.publicJWK))))
        encodedJWKS.withLockedValue { $0 = (kids, body) }
        return body
    }

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
    /// Not a token this ring could verify at all (size, header, algorithm, no kid).
    case malformed
    /// A kid the ring does not publish (never, or no longer).
    case unknownKey
    case wrongIssuerOrAudience
}

extension KeyRing: AccessFeedListener {
    /// A key another instance retired in an emergency is refused here at once.
    public func apply(_ events: [AccessEvent]) {
        for event in events where event.knownKind == .signingKeyRetired {
            if let kid = event.keyID { refuse(kid: kid) }
            reloadRequests.advance()
        }
    }

    /// Verified tokens are forgotten: each is checked against the keys again.
    public func dropAll() { state.withLockedValue { $0.verified.removeAll() } }

    public func trust(until instant: ContinuousClock.Instant) {}
}
