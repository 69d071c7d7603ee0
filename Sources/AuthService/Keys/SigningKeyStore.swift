import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOFoundationCompat
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Where a signing key is in its life: published before it signs, published after it stops
/// signing until every token it signed has expired, then retired.
public enum KeyState: String, Codable, Sendable {
    /// In the JWKS, not signing yet (verifiers' caches learn it first).
    case pending
    /// Signing new tokens (exactly one).
    case active
    /// In the JWKS until `retireAt`, not signing.
    case retiring
    /// Gone from the JWKS.
    case retired
}

/// A signing key as stored, with its private key decrypted.
public struct StoredSigningKey: Sendable {
    public let material: SigningKeyMaterial
    public let state: KeyState
    public let createdAt: Date
    public let activateAt: Date
    public let retireAt: Date?

    public init(material: SigningKeyMaterial, state: KeyState, createdAt: Date, activateAt: Date, retireAt: Date?) {
        self.material = material
        self.state = state
        self.createdAt = createdAt
        self.activateAt = activateAt
        self.retireAt = retireAt
    }
}

/// Signing keys in `auth_db`, private parts encrypted with `KeyEncryption`.
public struct SigningKeyStore: Sendable {
    let database: PlatformDatabase
    let encryption: KeyEncryption
    let logger: Logger
    /// This store's own key-generation thread.
    let generator = SigningKeyGenerator()

    /// Every key that is not retired.
    public func liveKeys() async throws -> [StoredSigningKey] {
        let rows = try await database.query("""
            SELECT kid, state, private_key_encrypted, created_at, activate_at, retire_at FROM signing_keys
            WHERE state <> 'retired' ORDER BY created_at
            """, operation: "keys_read", logger: logger)
        return try rows.map { row in
            let (kid, state, sealed, created, activate, retire) = try row.decode((String, String, ByteBuffer, Date, Date, Date?).self)
            let pem = try encryption.open(Data(buffer: sealed), kid: kid)
            return StoredSigningKey(material: try SigningKeyMaterial(privatePEM: pem), state: KeyState(rawValue: state) ?? .retired,
                                    createdAt: created, activateAt: activate, retireAt: retire)
        }
    }

    /// On first start: one active key, so the service can sign at once (no token exists yet
    /// that a verifier could have cached a JWKS for). Safe with several instances.
    public func ensureActiveKey() async throws {
        guard try await !hasKey(in: ["active", "pending"]) else { return }
        // Generated before the transaction: seconds of CPU must not hold a pooled connection
        // and the key lock. Another instance may win meanwhile; then this key is dropped.
        let material = try await SigningKeyMaterial.generate(on: generator)
        try await database.withTransaction("keys_bootstrap", logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7710001)", logger: logger)
            let existing = try await connection.query(
                "SELECT 1 FROM signing_keys WHERE state IN ('active', 'pending')", logger: logger).collect()
            guard existing.isEmpty else { return }
            try await insert(material, state: .active, activateAt: Date(), on: connection)
            logger.notice("signing key created (first start)")
        }
    }

    private func hasKey(in states: [String]) async throws -> Bool {
        try await !database.query("SELECT 1 FROM signing_keys WHERE state = ANY(\(states))", operation: "keys_read", logger: logger).isEmpty
    }

    /// Promotes a due pending key (the active one becomes retiring until `now + retireDelay`)
    /// and retires keys whose time has passed. Returns whether anything changed.
    @discardableResult
    public func advance(now: Date = Date(), retireDelay: Duration) async throws -> Bool {
        try await database.withTransaction("keys_advance", logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7710001)", logger: logger)
            var changed = false
            let due = try await connection.query("""
                SELECT kid FROM signing_keys WHERE state = 'pending' AND activate_at <= \(now) ORDER BY activate_at DESC LIMIT 1
                """, logger: logger).collect()
            if let row = due.first {
                let kid = try row.decode(String.self)
                let retireAt = now.addingTimeInterval(retireDelay.secondsValue)
                try await connection.query(
                    "UPDATE signing_keys SET state = 'retiring', retire_at = \(retireAt) WHERE state = 'active'", logger: logger)
                try await connection.query("UPDATE signing_keys SET state = 'active' WHERE kid = \(kid)", logger: logger)
                logger.notice("signing key activated", metadata: ["kid": .string(kid)])
                changed = true
            }
            let retired = try await connection.query("""
                UPDATE signing_keys SET state = 'retired' WHERE state = 'retiring' AND retire_at <= \(now) RETURNING kid
                """, logger: logger).collect()
            for row in retired {
                let kid = try row.decode(String.self)
                logger.notice("signing key retired", metadata: ["kid": .string(kid)])
            }
            return changed || !retired.isEmpty
        }
    }

    /// Starts a rotation. Normal: a new key is published now and signs from `now +
    /// publishDelay`. Emergency: the new key signs at once and every other key is retired
    /// immediately (tokens they signed stop verifying). Returns the new kid.
    public func rotate(emergency: Bool, publishDelay: Duration) async throws -> String {
        // Refused before the prime search when a rotation is already waiting; the key is made
        // before the transaction (seconds of CPU must not hold a connection and the key lock).
        if !emergency, try await hasKey(in: ["pending"]) { throw Self.rotationInProgress }
        let material = try await SigningKeyMaterial.generate(on: generator)
        return try await database.withTransaction("keys_rotate", logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7710001)", logger: logger)
            // From the moment it is published, not from the request: the publish delay is what
            // verifiers' JWKS caches need, whatever the key generation took.
            let now = Date()
            if emergency {
                try await connection.query("UPDATE signing_keys SET state = 'retired', retire_at = \(now) WHERE state <> 'retired'",
                                           logger: logger)
                try await insert(material, state: .active, activateAt: now, on: connection)
            } else {
                let pending = try await connection.query("SELECT kid FROM signing_keys WHERE state = 'pending'", logger: logger).collect()
                guard pending.isEmpty else { throw Self.rotationInProgress }
                try await insert(material, state: .pending, activateAt: now.addingTimeInterval(publishDelay.secondsValue), on: connection)
            }
            logger.notice("signing key rotation started", metadata: ["kid": .string(material.kid), "emergency": "\(emergency)"])
            return material.kid
        }
    }

    static let rotationInProgress = PlatformError(.init("rotation_in_progress", .conflict),
                                                  "a new key is already published and waiting to sign")

    private func insert(_ material: SigningKeyMaterial, state: KeyState, activateAt: Date, on connection: PostgresConnection) async throws {
        let sealed = try encryption.seal(material.privatePEM, kid: material.kid)
        let jwk = String(decoding: try JSONEncoder.platform.encode(material.publicJWK), as: UTF8.self)
        try await connection.query("""
            INSERT INTO signing_keys (kid, state, private_key_encrypted, public_jwk, activate_at)
            VALUES (\(material.kid), \(state.rawValue), \(ByteBuffer(bytes: sealed)), \(jwk)::jsonb, \(activateAt))
            """, logger: logger)
    }
}
