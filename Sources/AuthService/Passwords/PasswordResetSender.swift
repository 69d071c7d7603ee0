import Foundation
import Logging
import PlatformPostgres

/// Delivers password-reset tokens to users. Tokens never reach a log line.
public protocol PasswordResetSender: Sendable {
    func send(token: String, to email: String) async throws
}

/// For local and dev: writes the message to `outgoing_messages`, where an operator (or a
/// test) can read it. A real provider-backed sender replaces it in staging and production.
public struct OutboxPasswordResetSender: PasswordResetSender {
    let database: PlatformDatabase
    let logger: Logger

    public func send(token: String, to email: String) async throws {
        _ = try await database.query("""
            INSERT INTO outgoing_messages (recipient, kind, body) VALUES (\(email), 'password_reset', \(token))
            """, operation: "message_outbox", logger: logger)
        logger.info("password reset message queued")
    }
}

import PostgresNIO
