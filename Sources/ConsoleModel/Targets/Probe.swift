/// What one collection pass learned about a target. Collectors fill it; the model only reads it.
public struct Probe: Sendable {
    /// A readiness check as `/ready` reports it.
    public struct Check: Sendable, Equatable, Codable {
        public let name: String
        public let status: String
        public let critical: Bool
        public let latencyMS: Double
        public let error: String?

        public init(name: String, status: String, critical: Bool, latencyMS: Double, error: String? = nil) {
            self.name = name
            self.status = status
            self.critical = critical
            self.latencyMS = latencyMS
            self.error = error
        }

        public var passed: Bool { status == "ok" }

        enum CodingKeys: String, CodingKey {
            case name, status, critical, error
            case latencyMS = "latency_ms"
        }
    }

    /// The body of `/ready`.
    public struct Readiness: Sendable, Equatable, Codable {
        public let status: String
        public let checks: [Check]

        public init(status: String, checks: [Check]) {
            self.status = status
            self.checks = checks
        }
    }

    public let target: Target
    /// Seconds since the Unix epoch when the pass started (for display: ages, uptime).
    public let at: Double
    /// Seconds on a monotonic clock when the pass started: probes are ordered and rates
    /// computed with it, so a wall clock stepped back or forward cannot stall or skew them.
    public let monotonic: Double
    /// Why `/health` did not answer 200 (nil: it did).
    public let healthFailure: String?
    /// `/ready`'s report (nil when it could not be read).
    public let readiness: Readiness?
    /// `/metrics` (nil when it could not be read).
    public let metrics: MetricsText?
    /// How long `/health` took to answer.
    public let healthLatencyMS: Double?

    /// `monotonic`: defaults to `at` (tests that need no clock step).
    public init(target: Target, at: Double, monotonic: Double? = nil, healthFailure: String?, readiness: Readiness?, metrics: MetricsText?,
                healthLatencyMS: Double? = nil) {
        self.target = target
        self.at = at
        self.monotonic = monotonic ?? at
        self.healthFailure = healthFailure
        self.readiness = readiness
        self.metrics = metrics
        self.healthLatencyMS = healthLatencyMS
    }
}
