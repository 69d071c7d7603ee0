import Foundation
import HTTPTypes
import PlatformKit
import PlatformPostgres
import PostgresNIO
import Prometheus

extension PostgresEntitlementStore {
    /// Claims (caller, key), runs `body` and stores its answer in one transaction, which the
    /// write's own transaction joins (`withEnclosingTransaction`): the write and its answer
    /// commit together or not at all, so a key is never left claimed without its write, nor a
    /// write left without its answer. A concurrent duplicate waits on the claim and then gets
    /// the stored answer (or, if the first rolled back, runs); a later one gets the answer at
    /// once; the same key with another request is refused.
    public func idempotent(caller: String, key: String, requestHash: String,
                           _ body: @Sendable () async throws -> (status: Int, body: Data)) async throws -> (status: Int, body: Data) {
        do {
            return try await claimAnswerAndWrite(caller: caller, key: key, requestHash: requestHash, body)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55P03" {
            // A duplicate waited past lock_timeout on the first request's claim.
            throw PlatformError(CoreError.idempotencyInProgress, "the first request with this key is still running; retry shortly")
        }
    }

    /// How long a duplicate waits on the first request's claim before it is told to retry.
    static let claimWait = "2s"

    private func claimAnswerAndWrite(caller: String, key: String, requestHash: String,
                                     _ body: @Sendable () async throws -> (status: Int, body: Data)) async throws -> (status: Int, body: Data) {
        try await database.withEnclosingTransaction("idempotent_write", logger: logger) { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL lock_timeout = '\(Self.claimWait)'"), logger: logger).collect()
            let claimed = try await connection.query("""
                INSERT INTO idempotency_keys (caller, key, request_hash, status, response)
                VALUES (\(caller), \(key), \(requestHash), 0, '{}'::jsonb) ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger).collect()
            guard !claimed.isEmpty else {
                let rows = try await connection.query(
                    "SELECT request_hash, status, response::text FROM idempotency_keys WHERE caller = \(caller) AND key = \(key)",
                    logger: logger).collect()
                // Claimed and released between the two statements (that transaction rolled back).
                guard let row = rows.first else { throw PlatformError(CoreError.idempotencyInProgress, "retry shortly") }
                let (hash, status, response) = try row.decode((String, Int, String).self)
                guard hash == requestHash else {
                    throw PlatformError(CoreError.idempotencyKeyReused, "this Idempotency-Key was used for a different request")
                }
                // Status 0: a claim without its answer, left by a release before this one (which
                // claimed apart from the write) — still running on an old instance, or abandoned.
                guard status != 0 else { throw PlatformError(CoreError.idempotencyInProgress, "the first request with this key is still running") }
                return (status, Data(response.utf8))
            }
            let result = try await body()
            let text = String(decoding: result.body, as: UTF8.self)
            _ = try await connection.query(
                "UPDATE idempotency_keys SET status = \(result.status), response = \(text)::jsonb WHERE caller = \(caller) AND key = \(key)",
                logger: logger).collect()
            return result
        }
    }
}
