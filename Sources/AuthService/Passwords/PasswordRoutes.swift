import Crypto
import Foundation
import Hummingbird
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// `POST /auth/password-reset/request` (always 202, throttled), `POST
/// /auth/password-reset/confirm` (sets the password, ends every session) and `POST
/// /auth/password/change` (signed in; ends the other sessions). Reset tokens are 256-bit,
/// single use, valid 30 minutes, stored as SHA-256 only.
struct PasswordRoutes: Sendable {
    let database: PlatformDatabase
    let sessions: any SessionRepository
    let passwords: PasswordHasher
    let authenticator: AccessAuthenticator
    let sender: any PasswordResetSender
    let limits: AuthRateLimits

    static let invalidResetToken = PlatformError.Code("invalid_reset_token", .badRequest)

    struct RequestInput: Decodable, Sendable { let email: String }
    struct ConfirmInput: Decodable, Sendable {
        let token: String
        let newPassword: String
        enum CodingKeys: String, CodingKey { case token, newPassword = "new_password" }
    }
    struct ChangeInput: Decodable, Sendable {
        let currentPassword: String
        let newPassword: String
        enum CodingKeys: String, CodingKey { case currentPassword = "current_password", newPassword = "new_password" }
    }

    func add(to router: Router<PlatformRequestContext>) {
        router.post("/auth/password-reset/request") { request, context in
            let input = try await request.decodeJSON(as: RequestInput.self, context: context)
            // Throttled like sign-in (same per-IP and per-email counters namespace).
            try await limits.check(ip: limits.clientIP(request, context), email: "reset:" + input.email.lowercased())
            if let user = try await sessions.user(email: input.email), user.active {
                let token = OpaqueToken.make(prefix: "pr_")
                _ = try await database.query("""
                    INSERT INTO password_reset_tokens (token_hash, user_id, expires_at)
                    VALUES (\(OpaqueToken.digest(token)), \(user.id), now() + interval '30 minutes')
                    """, operation: "reset_token_create", logger: context.logger)
                try await sender.send(token: token, to: user.email)
            }
            // The same answer whether or not the email exists.
            return Response(status: .accepted)
        }
        router.post("/auth/password-reset/confirm") { request, context in
            let input = try await request.decodeJSON(as: ConfirmInput.self, context: context)
            try Self.validate(input.newPassword)
            let hash = try await passwords.hash(input.newPassword)
            let user: UUID? = try await database.withTransaction("reset_confirm", logger: context.logger) { connection in
                let rows = try await connection.query("""
                    UPDATE password_reset_tokens SET used_at = now()
                    WHERE token_hash = \(OpaqueToken.digest(input.token)) AND used_at IS NULL AND expires_at > now()
                    RETURNING user_id
                    """, logger: context.logger).collect()
                guard let row = rows.first else { return nil }
                let user = try row.decode(UUID.self)
                try await connection.query("UPDATE users SET password_hash = \(hash), updated_at = now() WHERE id = \(user)", logger: context.logger)
                return user
            }
            guard let user else { throw PlatformError(Self.invalidResetToken, "This reset link is invalid or has expired.") }
            let ended = try await sessions.revokeAll(userID: user, reason: "password_reset")
            try await sessions.audit(actor: user.uuidString, action: "password_reset", target: nil, outcome: "ok", requestID: context.trace.requestID)
            return ["revoked_sessions": ended]
        }
        router.post("/auth/password/change") { request, context in
            let identity = try await authenticator.authenticate(request, context)
            let input = try await request.decodeJSON(as: ChangeInput.self, context: context)
            try Self.validate(input.newPassword)
            let rows = try await database.query("SELECT password_hash FROM users WHERE id = \(identity.userID)",
                                                operation: "password_read", logger: context.logger)
            guard let stored = try rows.first?.decode(String.self),
                  try await passwords.verify(input.currentPassword, against: stored) else {
                throw PlatformError(SessionRoutes.invalidCredentials, "The current password is wrong.")
            }
            let hash = try await passwords.hash(input.newPassword)
            _ = try await database.query("UPDATE users SET password_hash = \(hash), updated_at = now() WHERE id = \(identity.userID)",
                                         operation: "password_change", logger: context.logger)
            // Every other session ends; this one continues.
            _ = try await database.query("""
                UPDATE sessions SET revoked_at = now(), revoke_reason = 'password_change'
                WHERE user_id = \(identity.userID) AND id <> \(identity.sessionID) AND revoked_at IS NULL
                """, operation: "sessions_revoke_others", logger: context.logger)
            try await sessions.audit(actor: identity.userID.uuidString, action: "password_change", target: nil, outcome: "ok",
                                     requestID: context.trace.requestID)
            return Response(status: .noContent)
        }
    }

    static func validate(_ password: String) throws {
        guard (10...1024).contains(password.count) else { throw PlatformError(.validationFailed, "passwords are 10 to 1024 characters") }
    }

}

import NIOCore
