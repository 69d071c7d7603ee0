import Crypto
import CryptoExtras
import Foundation
import PlatformKit
import JWTKit
import NIOPosix

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

    /// A new 2048-bit RSA key; the kid is derived from the public key. The prime search takes
    /// from a tenth of a second to seconds of CPU, so it runs on `generator`'s thread, never on
    /// the concurrency pool's two threads that every request needs (a rotation, or a fleet of
    /// instances starting, used to stall every handler of the process while it ran).
    public static func generate(on generator: SigningKeyGenerator = .shared) async throws -> SigningKeyMaterial {
        try await generator.run {
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            return try SigningKeyMaterial(privatePEM: key.pemRepresentation)
        }
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

/// A thread of its own for RSA key generation; each key store (each Auth) has one, so one
/// service's rotations never queue behind another's in a shared process (tests, tools).
public final class SigningKeyGenerator: Sendable {
    /// For tools and tests that generate outside a key store.
    public static let shared = SigningKeyGenerator()

    private let pool: NIOThreadPool

    public init() {
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    deinit { pool.shutdownGracefully { _ in } }

    /// Runs `work` on the generator's thread; a cancelled caller returns at once (a shutdown
    /// never waits for a prime search) and the result is dropped.
    func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await abandoningOnCancellation { [pool] in try await pool.runIfActive(work) }
    }
}

