import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// A create that a retried request never repeats. The key is claimed in the same transaction
/// as the row it creates (`idempotency_keys`, primary key `(company_id, key)`): a concurrent
/// retry waits on the first one's claim and, once it commits, reads its answer; if the first
/// rolls back, the retry creates instead. Nothing is ever booked twice and no key is left
/// claimed without its row.
///
/// The table every backend that uses it migrates:
/// `idempotency_keys (company_id uuid, key text, fingerprint text, response text, created_at timestamptz, PRIMARY KEY (company_id, key))`.
public enum IdempotentCreation {
    /// Runs `create` once per key in one transaction it owns: the first request creates (and its
    /// answer is stored with the key), a retry — even a concurrent one — gets that answer again
    /// (`.replay`, the stored JSON as it was sent: never decoded into today's type, so a
    /// deploy that changes the type cannot break the replay of an earlier answer).
    public static func run<Value: Encodable & Sendable>(
        _ key: IdempotencyKey, company: UUID, database: PlatformDatabase, operation: String, logger: Logger,
        _ create: (PostgresConnection) async throws -> Value
    ) async throws -> Created<Value> {
        try await database.withTransaction(operation, logger: logger) { connection in
            switch try await claim(key, company: company, on: connection, logger: logger) {
            case .replay(let response):
                return .replay(json: response)
            case .claimed:
                let value = try await create(connection)
                let response = String(decoding: try JSONEncoder.platform.encode(value), as: UTF8.self)
                try await record(key, company: company, response: response, on: connection, logger: logger)
                return .new(value)
            }
        }
    }

    /// `run` when a key was sent; otherwise `create` in a transaction of its own.
    public static func run<Value: Encodable & Sendable>(
        ifSent key: IdempotencyKey?, company: UUID, database: PlatformDatabase, operation: String, logger: Logger,
        _ create: (PostgresConnection) async throws -> Value
    ) async throws -> Created<Value> {
        guard let key else { return .new(try await database.withTransaction(operation, logger: logger, create)) }
        return try await run(key, company: company, database: database, operation: operation, logger: logger, create)
    }

    /// What the transaction found: the key is new (create, then `record`), or an earlier
    /// request with the same key and body already answered (`response`, JSON).
    enum Claim: Sendable, Equatable {
        case claimed
        case replay(response: String)
    }

    /// Claims `key` for `company` on `connection` (inside the caller's transaction).
    static func claim(_ key: IdempotencyKey, company: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Claim {
        let inserted = try await connection.query("""
            INSERT INTO idempotency_keys (company_id, key, fingerprint, response) VALUES (\(company), \(key.value), \(key.fingerprint), NULL)
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger).collect()
        if !inserted.isEmpty { return .claimed }
        let rows = try await connection.query("""
            SELECT fingerprint, response FROM idempotency_keys WHERE company_id = \(company) AND key = \(key.value)
            """, logger: logger).collect()
        guard let row = rows.first else {
            // Claimed and released between our two statements (its transaction rolled back): ask again.
            throw PlatformError(.conflict, "A request with this Idempotency-Key was just abandoned; retry.")
        }
        let (fingerprint, response) = try row.decode((String, String?).self)
        guard fingerprint == key.fingerprint else {
            throw PlatformError(IdempotencyKey.reused, "This Idempotency-Key was used for a different request.")
        }
        guard let response else { throw PlatformError(.conflict, "The first request with this Idempotency-Key is still running; retry.") }
        return .replay(response: response)
    }

    /// Stores the answer of the create that claimed `key` (same transaction).
    static func record(_ key: IdempotencyKey, company: UUID, response: String, on connection: PostgresConnection,
                              logger: Logger) async throws {
        _ = try await connection.query("""
            UPDATE idempotency_keys SET response = \(response) WHERE company_id = \(company) AND key = \(key.value)
            """, logger: logger).collect()
    }
}
