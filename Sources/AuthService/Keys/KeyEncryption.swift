import Crypto
import Foundation
import PlatformKit

/// Encrypts signing keys at rest with the key-encryption key from the secret store
/// (`AUTH_KEY_ENCRYPTION_KEY`), so every Auth instance can sign with the same keys while the
/// database never holds a usable private key. AES-256-GCM; the kid is authenticated data,
/// so a ciphertext cannot be moved to another key's row.
///
/// Each use gets its own key derived with HKDF-SHA256 (`derived(for:)`): what one purpose
/// seals, another cannot open, and the key-encryption key itself seals nothing new.
public struct KeyEncryption: Sendable {
    /// What a derived key seals (the HKDF `info`).
    public enum Purpose: String, Sendable {
        case signingKeys = "kisum-auth/signing-keys/v1"
        case refreshSuccessors = "kisum-auth/refresh-successors/v1"
    }

    private let key: SymmetricKey
    /// Tried when `key` cannot open: what was sealed with the undivided key before keys were
    /// derived (signing keys created earlier; successors of the last grace window). Remove once
    /// every signing key sealed that way has retired.
    private let legacy: SymmetricKey?

    /// From the base64 of 32 random bytes.
    public init?(base64 text: String) {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            return nil
        }
        key = SymmetricKey(data: data)
        legacy = nil
    }

    private init(key: SymmetricKey, legacy: SymmetricKey?) {
        self.key = key
        self.legacy = legacy
    }

    /// The key for one purpose, derived from this key-encryption key.
    public func derived(for purpose: Purpose) -> KeyEncryption {
        let subkey = HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: Data("kisum-auth-kek".utf8),
                                            info: Data(purpose.rawValue.utf8), outputByteCount: 32)
        return KeyEncryption(key: subkey, legacy: key)
    }

    public func seal(_ plaintext: String, kid: String) throws -> Data {
        guard let combined = try AES.GCM.seal(Data(plaintext.utf8), using: key, authenticating: Data(kid.utf8)).combined else {
            throw PlatformError(.internalError, "key encryption failed")
        }
        return combined
    }

    public func open(_ sealed: Data, kid: String) throws -> String {
        let box = try AES.GCM.SealedBox(combined: sealed)
        do {
            return String(decoding: try AES.GCM.open(box, using: key, authenticating: Data(kid.utf8)), as: UTF8.self)
        } catch {
            guard let legacy else { throw error }
            return String(decoding: try AES.GCM.open(box, using: legacy, authenticating: Data(kid.utf8)), as: UTF8.self)
        }
    }

    /// A new key-encryption key, base64 (for setup tooling).
    public static func generateBase64() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
    }
}
