import Crypto
import Foundation
import NIOCore

/// Bearer secrets handed to clients (refresh tokens, reset tokens): random, base64url, with a
/// recognisable prefix, and stored only as their SHA-256 digest.
enum OpaqueToken {
    /// `prefix` + base64url of `bits` random bits.
    static func make(prefix: String, bits: Int = 256) -> String {
        prefix + base64URL(SymmetricKey(size: SymmetricKeySize(bitCount: bits)).withUnsafeBytes { Data($0) })
    }

    /// What the database keeps instead of the token.
    static func digest(_ token: String) -> ByteBuffer {
        ByteBuffer(bytes: Array(SHA256.hash(data: Data(token.utf8))))
    }

    /// RFC 4648 base64url without padding (also what every access token is made of, so it maps
    /// bytes rather than searching the string three times).
    static func base64URL(_ data: some DataProtocol) -> String {
        let standard = Data(data).base64EncodedString().utf8
        return String(decoding: standard.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }, as: UTF8.self)
    }
}
