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
        // One atomic statement: a window starts at the key's first attempt (as with Redis'
        // INCR + expiry) and restarts once it has passed.
        let seconds = window.secondsValue
        let rows = try await database.query("""
            INSERT INTO rate_limit_counters AS c (key, window_start, count) VALUES (\(key), now(), 1)
            ON CONFLICT (key) DO UPDATE SET
                count = CASE WHEN c.window_start <= now() - make_interval(secs => \(seconds)) THEN 1 ELSE c.count + 1 END,
                window_start = CASE WHEN c.window_start <= now() - make_interval(secs => \(seconds)) THEN now() ELSE c.window_start END
            RETURNING count, extract(epoch FROM c.window_start + make_interval(secs => \(seconds)) - now())::float8
            """, operation: "rate_limit_hit", logger: logger)
        let (count, remaining) = try rows[0].decode((Int, Double).self)
        return Decision(allowed: count <= limit, retryAfterSeconds: max(1, Int(remaining.rounded(.up))))
    }

    /// Removes database counters of past windows.
    func sweep(olderThan age: Duration) async throws {
        _ = try await database.query(
            "DELETE FROM rate_limit_counters WHERE window_start < now() - make_interval(secs => \(age.secondsValue))",
            operation: "rate_limit_sweep", logger: logger)
    }
}
