import Crypto
import Foundation
import PlatformKit

/// Encrypts signing keys at rest with the key-encryption key from the secret store
/// (`AUTH_KEY_ENCRYPTION_KEY`), so every Auth instance can sign with the same keys while the
/// database never holds a usable private key. AES-256-GCM; the kid is authenticated data,
/// so a ciphertext cannot be moved to another key's row.
public struct KeyEncryption: Sendable {
    private let key: SymmetricKey

    /// From the base64 of 32 random bytes.
    public init?(base64 text: String) {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            return nil
        }
        key = SymmetricKey(data: data)
    }

    public func seal(_ plaintext: String, kid: String) throws -> Data {
        guard let combined = try AES.GCM.seal(Data(plaintext.utf8), using: key, authenticating: Data(kid.utf8)).combined else {
            throw PlatformError(.internalError, "key encryption failed")
        }
        return combined
    }

    public func open(_ sealed: Data, kid: String) throws -> String {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return String(decoding: try AES.GCM.open(box, using: key, authenticating: Data(kid.utf8)), as: UTF8.self)
    }

    /// A new key-encryption key, base64 (for setup tooling).
    public static func generateBase64() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
    }
}
