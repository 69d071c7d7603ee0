import AccessControl
import AuthService
import Foundation
import Testing

/// The key ring remembers tokens it verified, but never past their key: a key retired here or
/// in an emergency elsewhere (heard from the access feed) takes its tokens with it.
@Suite struct KeyRingTests {
    func ring() async throws -> (KeyRing, SigningKeyMaterial) {
        let material = try await SigningKeyMaterial.generate()
        let ring = KeyRing(signingThreads: 1)
        try await ring.load([StoredSigningKey(material: material, state: .active, createdAt: Date(), activateAt: Date(), retireAt: nil)])
        return (ring, material)
    }

    func token(_ ring: KeyRing) async throws -> String {
        try await ring.sign(AccessTokenClaims(issuer: "kisum", audience: "app", userID: UUID(), sessionID: UUID(), issuedAt: Date(),
                                              ttl: .seconds(60)))
    }

    @Test func aRememberedTokenStillNeedsItsIssuerAudienceAndKey() async throws {
        let (ring, material) = try await ring()
        let token = try await token(ring)
        #expect(try await ring.verify(token, issuer: "kisum", audience: "app").kid == material.kid)
        #expect(try await ring.verify(token, issuer: "kisum", audience: "app").kid == material.kid)  // remembered
        await #expect(throws: (any Error).self) { _ = try await ring.verify(token, issuer: "kisum", audience: "other") }
        await #expect(throws: (any Error).self) { _ = try await ring.verify(token, issuer: "someone", audience: "app") }

        // Retired by another instance: the feed's event refuses the key and its tokens at once.
        ring.apply([AccessEvent(cursor: AccessFeedCursor(tx: 1, id: 1), kind: "signing_key_retired", keyID: material.kid)])
        await #expect(throws: (any Error).self) { _ = try await ring.verify(token, issuer: "kisum", audience: "app") }
    }

    @Test func reloadingWithoutAKeyForgetsItsTokens() async throws {
        let (ring, _) = try await ring()
        let token = try await token(ring)
        _ = try await ring.verify(token, issuer: "kisum", audience: "app")
        let successor = try await SigningKeyMaterial.generate()
        try await ring.load([StoredSigningKey(material: successor, state: .active, createdAt: Date(), activateAt: Date(), retireAt: nil)])
        await #expect(throws: (any Error).self) { _ = try await ring.verify(token, issuer: "kisum", audience: "app") }
        // A fresh token from the new key verifies.
        #expect(try await ring.verify(try await self.token(ring), issuer: "kisum", audience: "app").kid == successor.kid)
    }
}

/// Reloads apply in the order they started reading: the key job's reload that read the keys just
/// before a rotation committed, but finished after the rotation's own reload, never takes the
/// new key out of the JWKS again (a flake in CI showed the race).
@Suite struct KeyRingReloadOrderTests {
    @Test(.timeLimit(.minutes(1))) func aReloadThatReadBeforeARotationNeverUndoesIt() async throws {
        let current = try await SigningKeyMaterial.generate(), successor = try await SigningKeyMaterial.generate()
        let ring = KeyRing(signingThreads: 1)
        let before = [StoredSigningKey(material: current, state: .active, createdAt: Date(), activateAt: Date(), retireAt: nil)]
        try await ring.load(before)
        let (started, didStart) = AsyncStream.makeStream(of: Void.self)
        let (release, doRelease) = AsyncStream.makeStream(of: Void.self)
        let slow = Task {
            try await ring.reload {
                didStart.yield()
                for await _ in release { break }
                return before  // what it read before the rotation committed
            }
        }
        for await _ in started { break }
        let after = before + [StoredSigningKey(material: successor, state: .pending, createdAt: Date(), activateAt: Date().addingTimeInterval(60),
                                               retireAt: nil)]
        try await ring.load(after)  // the rotation's reload, read after its commit
        doRelease.yield()
        _ = try await slow.value
        #expect(Set(ring.published.map(\.material.kid)) == [current.kid, successor.kid])
    }
}
