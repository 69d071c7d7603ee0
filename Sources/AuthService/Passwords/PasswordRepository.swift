import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Reset tokens and password changes in `auth_db`. A reset or a change is one transaction:
/// the new hash, every other outstanding reset link of the user ended, and the sessions
/// revoked, so a sign-in racing it either sees the new hash or has its session revoked.
struct PasswordRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    /// Stores a reset token (hashed) valid for 30 minutes.
    func createResetToken(_ token: String, user: UUID) async throws {
        _ = try await database.query("""
            INSERT INTO password_reset_tokens (token_hash, user_id, expires_at)
            VALUES (\(OpaqueToken.digest(token)), \(user), now() + interval '30 minutes')
            """, operation: "reset_token_create", logger: logger)
    }

    /// Whether `token` is unused and unexpired: one indexed read, so a wrong token costs no hash.
    func resetTokenIsLive(_ token: String) async throws -> Bool {
        try await !database.query("""
            SELECT 1 FROM password_reset_tokens
            WHERE token_hash = \(OpaqueToken.digest(token)) AND used_at IS NULL AND expires_at > now()
            """, operation: "reset_token_check", logger: logger).isEmpty
    }

    /// Consumes `token` and sets `hash`; nil when the token is not live (of two confirmations
    /// racing with one token, one wins). Returns the user and how many sessions ended.
    func resetPassword(token: String, hash: String) async throws -> (user: UUID, revokedSessions: Int)? {
        try await database.withTransaction("reset_confirm", logger: logger) { connection in
            // Only for an active user: a reset link must not bring a disabled account back.
            let rows = try await connection.query("""
                UPDATE password_reset_tokens t SET used_at = now()
                FROM users u
                WHERE t.token_hash = \(OpaqueToken.digest(token)) AND t.used_at IS NULL AND t.expires_at > now()
                  AND u.id = t.user_id AND u.status = 'active'
                RETURNING t.user_id
                """, logger: logger).collect()
            guard let user = try rows.first?.decode(UUID.self) else { return nil }
            try await connection.query("UPDATE users SET password_hash = \(hash), updated_at = now() WHERE id = \(user)", logger: logger)
            let revoked = try await endSessionsAndLinks(of: user, except: nil, reason: "password_reset", on: connection)
            return (user, revoked)
        }
    }

    /// The user's stored hash.
    func storedHash(user: UUID) async throws -> String? {
        try await database.query("SELECT password_hash FROM users WHERE id = \(user)", operation: "password_read", logger: logger)
            .first?.decode(String.self)
    }

    /// Replaces `stored` with `hash` if it is still the stored one (false: changed or reset
    /// meanwhile) and ends the user's other sessions and outstanding reset links.
    func changePassword(user: UUID, from stored: String, to hash: String, keeping session: UUID) async throws -> Bool {
        try await database.withTransaction("password_change", logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE users SET password_hash = \(hash), updated_at = now() WHERE id = \(user) AND password_hash = \(stored) RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { return false }
            _ = try await endSessionsAndLinks(of: user, except: session, reason: "password_change", on: connection)
            return true
        }
    }

    private func endSessionsAndLinks(of user: UUID, except session: UUID?, reason: String,
                                     on connection: PostgresConnection) async throws -> Int {
        try await connection.query("""
            UPDATE password_reset_tokens SET used_at = now() WHERE user_id = \(user) AND used_at IS NULL
            """, logger: logger)
        return try await connection.query("""
            UPDATE sessions SET revoked_at = now(), revoke_reason = \(reason)
            WHERE user_id = \(user) AND revoked_at IS NULL AND (\(session)::uuid IS NULL OR id <> \(session))
            RETURNING id
            """, logger: logger).collect().count
    }
}
