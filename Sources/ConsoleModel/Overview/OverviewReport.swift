/// The overview for scripts and people without a terminal (`kisum-ops status`): a text table
/// or JSON, from the same rows the console draws.
public struct OverviewReport: Sendable, Codable, Equatable {
    public struct Daemon: Sendable, Codable, Equatable {
        public let service: String
        public let instance: String
        /// `up`, `not_ready`, `down` or `unknown`.
        public let state: String
        public let failingCheck: String?
        public let downReason: String?
        public let requestsPerSecond: Double?
        public let serverErrorRatio: Double?
        public let p50MS: Double?
        public let p99MS: Double?
        public let uptimeSeconds: Double?
        public let managementURL: String

        enum CodingKeys: String, CodingKey {
            case service, instance, state
            case failingCheck = "failing_check"
            case downReason = "down_reason"
            case requestsPerSecond = "requests_per_second"
            case serverErrorRatio = "server_error_ratio"
            case p50MS = "p50_ms"
            case p99MS = "p99_ms"
            case uptimeSeconds = "uptime_seconds"
            case managementURL = "management_url"
        }
    }

    public let environment: String
    public let daemons: [Daemon]

    public init(environment: String, rows: [DaemonRow]) {
        self.environment = environment
        daemons = rows.map { row in
            var failing: String?, reason: String?, state: String
            switch row.health {
            case .up: state = "up"
            case .notReady(let check): state = "not_ready"; failing = check
            case .down(let why): state = "down"; reason = why
            case .unknown: state = "unknown"
            }
            return Daemon(service: row.target.service, instance: row.target.instance, state: state, failingCheck: failing,
                          downReason: reason, requestsPerSecond: row.rates?.requestsPerSecond,
                          serverErrorRatio: row.rates?.serverErrorRatio, p50MS: row.rates?.p50MS, p99MS: row.rates?.p99MS,
                          uptimeSeconds: row.uptimeSeconds, managementURL: row.target.managementURL)
        }
    }

    /// Whether every daemon is up.
    public var allUp: Bool { daemons.allSatisfy { $0.state == "up" } }

    /// A fixed-width table with a header, one line per daemon; problems named at the end.
    public var table: String {
        var lines = ["SERVICE    INSTANCE  STATE      REQ/S    5XX  P50ms  P99ms  UPTIME  DETAIL"]
        for daemon in daemons {
            let marker = switch daemon.state {
            case "up": "UP"
            case "not_ready": "NOT READY"
            case "down": "DOWN"
            default: "..."
            }
            let detail = daemon.failingCheck.map { "failing check: \($0)" } ?? daemon.downReason ?? ""
            lines.append([Format.fit(daemon.service, 10), Format.fit(daemon.instance, 9), Format.fit(marker, 10),
                          Format.fit(Format.rate(daemon.requestsPerSecond), 5, right: true),
                          Format.fit(Format.percent(daemon.serverErrorRatio), 6, right: true),
                          Format.fit(Format.milliseconds(daemon.p50MS), 6, right: true),
                          Format.fit(Format.milliseconds(daemon.p99MS), 6, right: true),
                          Format.fit(Format.age(daemon.uptimeSeconds), 7, right: true), detail].joined(separator: " "))
        }
        let up = daemons.filter { $0.state == "up" }.count
        lines.append("\(environment): \(up) of \(daemons.count) up")
        return lines.joined(separator: "\n")
    }
}
