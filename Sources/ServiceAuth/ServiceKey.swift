import Crypto
import Foundation
import PlatformKit

/// An Ed25519 key pair for service credentials, in the base64 forms the configuration uses.
public struct ServiceKey: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(privateKey: Curve25519.Signing.PrivateKey = .init()) {
        self.privateKey = privateKey
    }

    /// Reads `INTERNAL_SIGNING_KEY`: the base64 raw 32-byte private key.
    public init?(base64 text: String) {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: data) else { return nil }
        self.init(privateKey: key)
    }

    public var privateBase64: String { privateKey.rawRepresentation.base64EncodedString() }
    public var publicBase64: String { privateKey.publicKey.rawRepresentation.base64EncodedString() }
    public var keyID: String { Self.keyID(for: privateKey.publicKey) }

    /// The first 8 bytes of SHA-256 of the raw public key, hex: identifies the key in `kid`.
    public static func keyID(for publicKey: Curve25519.Signing.PublicKey) -> String {
        SHA256.hash(data: publicKey.rawRepresentation).prefix(8).hexEncoded
    }
}

/// The public keys a callee trusts, per calling service (at most two each, for rotation).
public struct TrustedServiceKeys: Sendable {
    public let keys: [String: [Curve25519.Signing.PublicKey]]

    public init(keys: [String: [Curve25519.Signing.PublicKey]]) {
        self.keys = keys
    }

    /// Parses `INTERNAL_TRUSTED_KEYS`: `caller=base64[,caller=base64…]`.
    public init?(parsing text: String) {
        var keys: [String: [Curve25519.Signing.PublicKey]] = [:]
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty,
                  let data = Data(base64Encoded: parts[1]),
                  let key = try? Curve25519.Signing.PublicKey(rawRepresentation: data) else { return nil }
            keys[parts[0], default: []].append(key)
            if keys[parts[0]]!.count > 2 { return nil }
        }
        self.init(keys: keys)
    }
}
