/// Requests per second, the 5xx share and latency percentiles between two scrapes of a
/// daemon's `/metrics` (counter and histogram deltas; the probes' own requests left out, long
/// polls left out of the percentiles).
public struct TrafficRates: Sendable, Equatable {
    public let requestsPerSecond: Double
    /// 5xx answers as a share of all answers (0…1); nil without requests.
    public let serverErrorRatio: Double?
    public let p50MS: Double?
    public let p99MS: Double?

    public init(requestsPerSecond: Double, serverErrorRatio: Double?, p50MS: Double?, p99MS: Double?) {
        self.requestsPerSecond = requestsPerSecond
        self.serverErrorRatio = serverErrorRatio
        self.p50MS = p50MS
        self.p99MS = p99MS
    }

    static let requests = "kisum_http_requests_total"
    static let latency = "kisum_http_request_duration_seconds"
    /// Routes the console and probes call: their traffic is not the service's.
    static let probeRoutes: Set<String> = ["/health", "/ready", "/metrics"]

    /// Long polls: held open by design (Auth's access feed answers after up to its heartbeat),
    /// so their duration is not latency; they count as requests, not in the percentiles.
    static let longPollRoutes: Set<String> = ["/internal/v1/access-feed"]

    static func served(_ sample: MetricSample) -> Bool { !probeRoutes.contains(sample.labels["route"] ?? "") }

    static func timed(_ sample: MetricSample) -> Bool { served(sample) && !longPollRoutes.contains(sample.labels["route"] ?? "") }

    /// The rates from `before` to `after`, `seconds` apart; nil when either scrape is missing
    /// or no time passed.
    public init?(from before: MetricsText?, to after: MetricsText?, seconds: Double) {
        guard var before, let after, seconds > 0 else { return nil }
        // A restarted daemon (another start time) counts every series from zero.
        if let started = after.value("kisum_process_start_time_seconds"), before.value("kisum_process_start_time_seconds") != started {
            before = MetricsText(samples: [])
        }
        func total(_ metrics: MetricsText, errorsOnly: Bool) -> Double {
            metrics.sum(Self.requests, where: { sample in
                Self.served(sample) && (!errorsOnly || (Int(sample.labels["status"] ?? "") ?? 0) >= 500)
            }) ?? 0
        }
        func increase(_ old: Double, _ new: Double) -> Double { new >= old ? new - old : new }
        let requests = increase(total(before, errorsOnly: false), total(after, errorsOnly: false))
        let errors = increase(total(before, errorsOnly: true), total(after, errorsOnly: true))
        let buckets = HistogramQuantile.increase(
            from: HistogramQuantile.buckets(Self.latency, in: before, where: Self.timed),
            to: HistogramQuantile.buckets(Self.latency, in: after, where: Self.timed))
        self.init(requestsPerSecond: requests / seconds,
                  serverErrorRatio: requests > 0 ? min(1, errors / requests) : nil,
                  p50MS: HistogramQuantile.quantile(0.5, buckets: buckets).map { $0 * 1000 },
                  p99MS: HistogramQuantile.quantile(0.99, buckets: buckets).map { $0 * 1000 })
    }
}
