import Foundation
import PlatformKit

/// `GET /admin/v1/operations/overview`.
struct OverviewReport: Encodable, Sendable {
    struct Summary: Encodable, Sendable {
        let ready: Int
        let notReady: Int
        let unreachable: Int
        enum CodingKeys: String, CodingKey { case ready, unreachable, notReady = "not_ready" }
    }

    let generatedAt: Date
    let targets: [TargetStatus]
    let summary: Summary

    enum CodingKeys: String, CodingKey { case targets, summary, generatedAt = "generated_at" }
}

/// One daemon in the overview.
struct TargetStatus: Encodable, Sendable {
    let name: String
    let url: String
    let reachable: Bool
    let ready: Bool?
    let checks: [ReadinessProbe.CheckResult]
    let latencyMS: Double
    let metrics: MetricSummary?
    let error: String?

    enum CodingKeys: String, CodingKey {
        case name, url, reachable, ready, checks, metrics, error
        case latencyMS = "latency_ms"
    }
}

/// The few numbers an on-call engineer looks at first, from a daemon's `/metrics`.
struct MetricSummary: Encodable, Sendable, Equatable {
    var requests: Double
    var serverErrors: Double
    var inFlight: Double
    var p50MS: Double?
    var p99MS: Double?
    /// Hits / (hits + misses) over every `*_cache_total` counter; nil without lookups.
    var cacheHitRatio: Double?
    var databasePoolInUse: Double?
    var redisBreakerOpen: Bool?
    var jobFailures: Double
    var signingKeyAgeSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case requests
        case serverErrors = "server_errors"
        case inFlight = "in_flight"
        case p50MS = "p50_ms"
        case p99MS = "p99_ms"
        case cacheHitRatio = "cache_hit_ratio"
        case databasePoolInUse = "db_pool_in_use"
        case redisBreakerOpen = "redis_breaker_open"
        case jobFailures = "job_failures"
        case signingKeyAgeSeconds = "signing_key_age_seconds"
    }

    init(_ samples: [PrometheusSample]) {
        let names = Set(samples.map(\.name))
        requests = samples.sum("kisum_http_requests_total")
        serverErrors = samples.sum("kisum_http_requests_total") { $0["status"]?.hasPrefix("5") == true }
        inFlight = samples.sum("kisum_http_requests_in_flight")
        p50MS = samples.quantile(0.5, ofHistogram: "kisum_http_request_duration_seconds").map { $0 * 1000 }
        p99MS = samples.quantile(0.99, ofHistogram: "kisum_http_request_duration_seconds").map { $0 * 1000 }
        let hits = samples.filter { $0.name.hasSuffix("_cache_total") && $0.labels["outcome"] == "hit" }.reduce(0) { $0 + $1.value }
        let misses = samples.filter { $0.name.hasSuffix("_cache_total") && $0.labels["outcome"] == "miss" }.reduce(0) { $0 + $1.value }
        cacheHitRatio = hits + misses > 0 ? hits / (hits + misses) : nil
        databasePoolInUse = names.contains("kisum_db_pool_connections_in_use") ? samples.sum("kisum_db_pool_connections_in_use") : nil
        redisBreakerOpen = names.contains("kisum_redis_breaker_open") ? samples.sum("kisum_redis_breaker_open") > 0 : nil
        jobFailures = samples.sum("kisum_job_failures_total")
        signingKeyAgeSeconds = names.contains("kisum_auth_signing_key_age_seconds") ? samples.sum("kisum_auth_signing_key_age_seconds") : nil
    }
}
