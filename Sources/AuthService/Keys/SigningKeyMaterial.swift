import Crypto
import CryptoExtras
import Foundation
import PlatformKit
import JWTKit

/// An RS256 signing key: its private PEM, its kid and its public JWK.
public struct SigningKeyMaterial: Sendable {
    public let kid: String
    public let privatePEM: String
    public let publicJWK: PublicJWK

    /// The public part as published in the JWKS.
    public struct PublicJWK: Codable, Sendable, Equatable {
        public var kty = "RSA"
        public var use = "sig"
        public var alg = "RS256"
        public var kid: String
        public var n: String
        public var e: String
    }

    /// A new 2048-bit RSA key; the kid is derived from the public key.
    public static func generate() throws -> SigningKeyMaterial {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return try SigningKeyMaterial(privatePEM: key.pemRepresentation)
    }

    public init(privatePEM: String) throws {
        let key = try Insecure.RSA.PrivateKey(pem: privatePEM)
        let (modulus, exponent) = try key.publicKey.getKeyPrimitives()
        let kid = SHA256.hash(data: modulus).prefix(12).hexEncoded
        self.kid = kid
        self.privatePEM = privatePEM
        self.publicJWK = PublicJWK(kid: kid, n: OpaqueToken.base64URL(modulus), e: OpaqueToken.base64URL(exponent))
    }
}
