import Foundation
import HTTPTypes
import PlatformKit
import PlatformPostgres
import PostgresNIO
import Prometheus

extension PostgresEntitlementStore {
    /// Reserves (caller, key) before running `body`, then stores its answer. A concurrent or
    /// later duplicate never applies the write again: it gets the stored answer, or
    /// `idempotency_in_progress` while the first attempt runs; a failed attempt releases the key.
    public func idempotent(caller: String, key: String, requestHash: String,
                           _ body: @Sendable () async throws -> (status: Int, body: Data)) async throws -> (status: Int, body: Data) {
        let reserved = try await database.query("""
            INSERT INTO idempotency_keys (caller, key, request_hash, status, response)
            VALUES (\(caller), \(key), \(requestHash), 0, '{}'::jsonb) ON CONFLICT DO NOTHING RETURNING 1
            """, operation: "idempotency_reserve", logger: logger)
        guard !reserved.isEmpty else {
            let rows = try await database.query(
                "SELECT request_hash, status, response::text FROM idempotency_keys WHERE caller = \(caller) AND key = \(key)",
                operation: "idempotency_read", logger: logger)
            guard let row = rows.first else { throw PlatformError(CoreError.idempotencyInProgress, "retry shortly") }
            let (hash, status, response) = try row.decode((String, Int, String).self)
            guard hash == requestHash else {
                throw PlatformError(CoreError.idempotencyKeyReused, "this Idempotency-Key was used for a different request")
            }
            guard status != 0 else { throw PlatformError(CoreError.idempotencyInProgress, "the first request with this key is still running") }
            return (status, Data(response.utf8))
        }
        do {
            let result = try await body()
            let text = String(decoding: result.body, as: UTF8.self)
            _ = try await database.query(
                "UPDATE idempotency_keys SET status = \(result.status), response = \(text)::jsonb WHERE caller = \(caller) AND key = \(key)",
                operation: "idempotency_store", logger: logger)
            return result
        } catch {
            _ = try? await database.query("DELETE FROM idempotency_keys WHERE caller = \(caller) AND key = \(key) AND status = 0",
                                          operation: "idempotency_release", logger: logger)
            throw error
        }
    }
}
