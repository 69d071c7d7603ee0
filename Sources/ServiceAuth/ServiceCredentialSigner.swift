import Foundation
import HTTPTypes
import JWTKit
import NIOConcurrencyHelpers
import PlatformKit

/// Issues this service's credentials for calls to other services: one token per callee,
/// valid for `lifetime` (60 s), reused until it has less than a quarter of its life left.
public final class ServiceCredentialSigner: OutgoingCredentialProvider, Sendable {
    public let service: String
    public let lifetime: TimeInterval
    private let key: ServiceKey
    private let keys: JWTKeyCollection
    private let cache = NIOLockedValueBox<[String: (token: String, expires: Date)]>([:])

    public init(service: String, key: ServiceKey, lifetime: TimeInterval = 60) async {
        self.service = service
        self.key = key
        self.lifetime = lifetime
        self.keys = await JWTKeyCollection().add(eddsa: EdDSA.PrivateKey(backing: key.privateKey),
                                                 kid: JWKIdentifier(string: Self.kid(service: service, keyID: key.keyID)))
    }

    static func kid(service: String, keyID: String) -> String { "\(service):\(keyID)" }

    /// A credential for `callee`.
    public func token(for callee: String) async throws -> String {
        let now = Date()
        if let cached = cache.withLockedValue({ $0[callee] }), cached.expires.timeIntervalSince(now) > lifetime / 4 {
            return cached.token
        }
        let expires = now.addingTimeInterval(lifetime)
        let claims = ServiceTokenClaims(
            iss: .init(value: service), sub: .init(value: service), aud: .init(value: [callee]),
            iat: .init(value: now), exp: .init(value: expires), jti: .init(value: UUID().uuidString),
            kind: ServiceTokenClaims.kindValue)
        let token = try await keys.sign(claims, kid: JWKIdentifier(string: Self.kid(service: service, keyID: key.keyID)))
        cache.withLockedValue { $0[callee] = (token, expires) }
        return token
    }

    public func credential(for callee: String) async throws -> (name: String, value: String) {
        (HTTPField.Name.serviceCredential.rawName, try await token(for: callee))
    }
}
