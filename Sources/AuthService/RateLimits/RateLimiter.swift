import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PlatformRedis
import PostgresNIO
import Prometheus

/// Fixed-window counters shared by every Auth instance: atomic `INCR` in Redis, and the
/// same in PostgreSQL (`INSERT … ON CONFLICT … count + 1`) when Redis is unavailable, so
/// parallel attempts cannot exceed a limit and Redis down never means no limit.
struct RateLimiter: Sendable {
    /// Whether an attempt may go ahead, and when to retry if not.
    struct Decision: Sendable, Equatable {
        let allowed: Bool
        let retryAfterSeconds: Int
    }

    let redis: RedisClient?
    let database: PlatformDatabase
    let metrics: PlatformMetrics
    let logger: Logger

    /// Counts one attempt against `key` (e.g. `ratelimit:login:ip:10.0.0.1`).
    func hit(_ key: String, limit: Int, window: Duration) async throws -> Decision {
        let decision: Decision
        if let redis, let count = try? await redis.incrementWindow(key, window: window) {
            var retry = Int(window.wholeSeconds)
            if count > limit, let ttl = try? await redis.send(RedisCommand("PTTL", [key])).int, ttl > 0 {
                retry = Int((Double(ttl) / 1000).rounded(.up))
            }
            decision = Decision(allowed: count <= limit, retryAfterSeconds: max(1, retry))
        } else {
            decision = try await hitDatabase(key, limit: limit, window: window)
        }
        if !decision.allowed {
            let kind = key.split(separator: ":").dropLast().joined(separator: ":")
            metrics.counter("kisum_auth_rate_limited_total", help: "Attempts refused by a rate limit, by limit.",
                            labels: [("limit", kind)]).increment()
        }
        return decision
    }

    private func hitDatabase(_ key: String, limit: Int, window: Duration) async throws -> Decision {
        let seconds = max(1, window.wholeSeconds)
        let now = Date().timeIntervalSince1970
        let start = Date(timeIntervalSince1970: (now / Double(seconds)).rounded(.down) * Double(seconds))
        let rows = try await database.query("""
            INSERT INTO rate_limit_counters (key, window_start, count) VALUES (\(key), \(start), 1)
            ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
            RETURNING count
            """, operation: "rate_limit_hit", logger: logger)
        let count = try rows[0].decode(Int.self)
        let retry = Int((start.timeIntervalSince1970 + Double(seconds) - now).rounded(.up))
        return Decision(allowed: count <= limit, retryAfterSeconds: max(1, retry))
    }

    /// Removes database counters of past windows.
    func sweep(olderThan age: Duration) async throws {
        _ = try await database.query(
            "DELETE FROM rate_limit_counters WHERE window_start < now() - make_interval(secs => \(age.secondsValue))",
            operation: "rate_limit_sweep", logger: logger)
    }
}
