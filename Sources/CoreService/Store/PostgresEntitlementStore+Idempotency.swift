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
        try await database.withEnclosingTransaction("idempotent_write", logger: logger) { connection in
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
