import Foundation
import NIOConcurrencyHelpers
import Prometheus

/// One daemon's Prometheus registry, with help text on every metric so `promtool check
/// metrics` passes. Components create their metrics here; `GET /metrics` renders it.
public final class PlatformMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Buckets for request and dependency latencies, in seconds (1 ms ... 10 s).
    public static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    private let inFlight: Gauge
    private let requestSeries = NIOLockedValueBox<[RequestSeries: (count: Counter, latency: DurationHistogram)]>([:])

    /// One request series: routes are patterns, so the set is bounded.
    private struct RequestSeries: Hashable {
        let listener: String
        let route: String
        let method: String
        let status: Int
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.inFlight = registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: "kisum_http_requests_in_flight", unitName: "", helpText: "HTTP requests being handled now."))
        gauge("kisum_process_start_time_seconds", help: "Start time of the process since the Unix epoch in seconds.")
            .set(Date().timeIntervalSince1970)
    }

    /// Records one finished HTTP request. `route` is the matched route pattern (bounded
    /// cardinality), never the raw path.
    public func recordRequest(listener: String, route: String, method: String, status: Int, duration: Duration) {
        let handles = requestHandles(RequestSeries(listener: listener, route: route, method: method, status: status))
        handles.count.increment()
        handles.latency.record(duration)
    }

    /// The request series' metric handles, made once per series (the registry builds names
    /// and labels under its lock; this is one hash look-up).
    private func requestHandles(_ series: RequestSeries) -> (count: Counter, latency: DurationHistogram) {
        if let known = requestSeries.withLockedValue({ $0[series] }) { return known }
        let made = (count: counter("kisum_http_requests_total", help: "HTTP requests handled, by listener, route, method and status.",
                                   labels: [("listener", series.listener), ("route", series.route), ("method", series.method),
                                            ("status", String(series.status))]),
                    latency: latency("kisum_http_request_duration_seconds", help: "HTTP request latency, by listener, route and method.",
                                     labels: [("listener", series.listener), ("route", series.route), ("method", series.method)]))
        requestSeries.withLockedValue { $0[series] = made }
        return made
    }

    func requestStarted() { inFlight.increment() }
    func requestFinished() { inFlight.decrement() }

    /// The Prometheus text exposition of every metric.
    public func render() -> String { registry.emitToString() }
}
