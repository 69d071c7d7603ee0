import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// Signs access tokens with one RSA key (RS256, `kid` in the header), synchronously: the
/// caller decides the thread (`KeyRing` signs on a pool of its own, so a signature, about a
/// millisecond of one core, never occupies the concurrency pool that serves requests).
/// Tokens are the compact JWS JWTKit produces and verifies.
struct AccessTokenSigner: Sendable {
    let kid: String
    private let key: _RSA.Signing.PrivateKey
    /// `base64url(header JSON) + "."`, the same for every token.
    private let headerPrefix: [UInt8]

    init(privatePEM: String, kid: String) throws {
        self.kid = kid
        key = try _RSA.Signing.PrivateKey(pemRepresentation: privatePEM)
        let header = try JSONEncoder().encode(Header(alg: "RS256", kid: kid, typ: "JWT"))
        headerPrefix = Array(OpaqueToken.base64URL(header).utf8) + [UInt8(ascii: ".")]
    }

    func sign(_ payload: some JWTPayload) throws -> String {
        var input = headerPrefix
        input += Array(OpaqueToken.base64URL(try Self.payloadEncoder.encode(payload)).utf8)
        let signature = try key.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5)
        return String(decoding: input, as: UTF8.self) + "." + OpaqueToken.base64URL(signature.rawRepresentation)
    }

    private struct Header: Encodable {
        let alg: String
        let kid: String
        let typ: String
    }

    /// As JWTKit encodes payloads: dates as seconds since 1970.
    private static var payloadEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }

}
