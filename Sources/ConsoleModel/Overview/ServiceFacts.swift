/// The lines of a service's detail view read from one scrape: what an on-call engineer looks at
/// after readiness (load, pool use, breakers, caches, the change feed, background work). Only
/// facts the daemon exports are shown.
public struct ServiceFacts: Sendable {
    public let lines: [String]

    /// `at`: when the scrape was taken, seconds since the Unix epoch (for the feed's age).
    public init(metrics: MetricsText?, at: Double) {
        guard let metrics else { lines = []; return }
        var lines: [String] = []
        if let inFlight = metrics.value("kisum_http_requests_in_flight") { lines.append("requests in flight: \(Format.whole(inFlight))") }
        if let inUse = metrics.sum("kisum_db_pool_connections_in_use") {
            let max = metrics.sum("kisum_db_pool_connections_max").map { " of \(Format.whole($0))" } ?? ""
            lines.append("database pool: \(Format.whole(inUse))\(max) connections in use")
        }
        if let open = metrics.sum("kisum_redis_breaker_open") {
            lines.append("Redis breaker: " + (open > 0 ? "OPEN (cache bypassed, answers from the database)" : "closed"))
        }
        if let decisions = metrics.value("kisum_access_decisions_total"), decisions > 0 {
            let memory = metrics.value("kisum_access_decisions_from_memory_total") ?? 0
            lines.append("access decisions from memory: \(Format.percent(memory / decisions)) of \(Format.whole(decisions))")
        }
        if let complete = metrics.value("kisum_access_feed_last_complete_timestamp_seconds"), complete > 0 {
            lines.append("access feed: complete \(Format.milliseconds(max(0, at - complete) * 1000)) ms before this scrape")
        }
        if let hits = metrics.sum("kisum_auth_access_cache_total", matching: ["outcome": "hit"]),
           let all = metrics.sum("kisum_auth_access_cache_total"), all > 0 {
            lines.append("access cache (Redis) hit rate: \(Format.percent(hits / all)) of \(Format.whole(all))")
        }
        if let pending = metrics.value("kisum_core_outbox_pending") {
            let age = metrics.value("kisum_core_outbox_oldest_age_seconds").map { ", oldest \(Format.age($0))" } ?? ""
            lines.append("outbox: \(Format.whole(pending)) pending\(age)")
        }
        if let failures = metrics.sum("kisum_job_failures_total"), failures > 0 { lines.append("background job failures: \(Format.whole(failures))") }
        if let dropped = metrics.value("kisum_log_lines_dropped_total"), dropped > 0 { lines.append("log lines dropped: \(Format.whole(dropped))") }
        if let keys = metrics.value("kisum_auth_signing_keys_published") { lines.append("signing keys published: \(Format.whole(keys))") }
        self.lines = lines
    }
}
