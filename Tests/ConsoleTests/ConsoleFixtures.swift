@testable import ConsoleModel

/// Targets and probes as a small platform would answer them.
enum ConsoleFixtures {
    static let auth = Target(service: "auth", managementURL: "http://127.0.0.1:9101", publicURL: "http://127.0.0.1:8101")
    static let core = Target(service: "core", managementURL: "http://127.0.0.1:9100")
    static let finance = Target(service: "finance", managementURL: "http://127.0.0.1:9111", publicURL: "http://127.0.0.1:8111")
    static let targets = [auth, core, finance]

    static func metrics(requests: Int, errors: Int = 0, fast: Int, started: Double = 1_000) -> MetricsText {
        MetricsText(parsing: """
            kisum_http_requests_total{listener="public",route="/x",method="GET",status="200"} \(requests - errors)
            kisum_http_requests_total{listener="public",route="/x",method="GET",status="500"} \(errors)
            kisum_http_request_duration_seconds_bucket{listener="public",route="/x",method="GET",le="0.005"} \(fast)
            kisum_http_request_duration_seconds_bucket{listener="public",route="/x",method="GET",le="0.05"} \(requests)
            kisum_http_request_duration_seconds_bucket{listener="public",route="/x",method="GET",le="+Inf"} \(requests)
            kisum_http_requests_in_flight 3
            kisum_db_pool_connections_in_use{pool="auth"} 4
            kisum_db_pool_connections_max{pool="auth"} 16
            kisum_redis_breaker_open 0
            kisum_access_decisions_total 1000
            kisum_access_decisions_from_memory_total 990
            kisum_process_start_time_seconds \(started)
            """)
    }

    static let ready = Probe.Readiness(status: "ready", checks: [
        Probe.Check(name: "database", status: "ok", critical: true, latencyMS: 1.2),
        Probe.Check(name: "redis", status: "ok", critical: false, latencyMS: 0.4),
    ])
    static let jwksMissing = Probe.Readiness(status: "not_ready", checks: [
        Probe.Check(name: "database", status: "ok", critical: true, latencyMS: 1.1),
        Probe.Check(name: "jwks", status: "failed", critical: true, latencyMS: 0, error: "no key set loaded yet"),
    ])

    /// Two passes (at 10,000 and 10,002 s): Auth up and busy, Core down, Finance not ready.
    static func model() -> OverviewModel {
        var model = OverviewModel(targets: targets)
        for (at, requests, fast) in [(10_000.0, 1_000, 900), (10_002.0, 1_400, 1_300)] {
            model.record(Probe(target: auth, at: at, healthFailure: nil, readiness: ready,
                               metrics: metrics(requests: requests, errors: requests == 1_400 ? 4 : 0, fast: fast)))
            model.record(Probe(target: core, at: at, healthFailure: "connection refused", readiness: nil, metrics: nil))
            model.record(Probe(target: finance, at: at, healthFailure: nil, readiness: jwksMissing,
                               metrics: metrics(requests: 10, fast: 10, started: 9_000)))
        }
        return model
    }
}
