/// A problem the console sees itself (when no Alertmanager is configured): what, where, how
/// bad, and the runbook to open.
public struct ConsoleAlert: Sendable, Equatable {
    public enum Severity: String, Sendable, Comparable {
        case warning, critical

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .critical }
    }

    public let name: String
    public let severity: Severity
    public let target: Target
    public let detail: String
    /// The runbook in `runbooks/` that helps (nil: none fits).
    public let runbook: String?
}

/// The console's own checks over the latest probes, in the order of the spec's alerts: down,
/// not ready, elevated 5xx, the access feed lagging, the Redis breaker open, log lines dropped.
public enum ConsoleAlerts {
    /// 5xx share above this (with at least `minimumRate` requests/s) is elevated.
    public static let serverErrorThreshold = 0.01
    public static let minimumRate = 0.5
    /// The access feed's last complete read older than this (seconds) is lagging.
    public static let feedLagThreshold = 5.0

    /// Every alert the model shows now, most severe first (then by service).
    public static func evaluate(_ model: OverviewModel) -> [ConsoleAlert] {
        var alerts: [ConsoleAlert] = certificateAlerts(model)
        for row in model.rows {
            let target = row.target
            switch row.health {
            case .down(let reason):
                alerts.append(ConsoleAlert(name: "DaemonDown", severity: .critical, target: target, detail: reason, runbook: nil))
                continue
            case .notReady(let check):
                let runbook: String? = switch check {
                case "redis": "redis-down"
                case "jwks": "jwt-verification-failing"
                default: nil
                }
                alerts.append(ConsoleAlert(name: "DaemonNotReady", severity: .critical, target: target, detail: "failing check: \(check)",
                                           runbook: runbook))
            case .up, .unknown: break
            }
            if let rates = row.rates, rates.requestsPerSecond >= minimumRate, let ratio = rates.serverErrorRatio, ratio > serverErrorThreshold {
                alerts.append(ConsoleAlert(name: "ElevatedServerErrors", severity: ratio > 0.05 ? .critical : .warning, target: target,
                                           detail: "\(Format.percent(ratio)) of \(Format.rate(rates.requestsPerSecond)) requests/s answered 5xx",
                                           runbook: nil))
            }
            guard let probe = model.probe(of: target), let metrics = probe.metrics else { continue }
            if let complete = metrics.value("kisum_access_feed_last_complete_timestamp_seconds"), complete > 0, probe.at - complete > feedLagThreshold {
                alerts.append(ConsoleAlert(name: "AccessFeedLagging", severity: .warning, target: target,
                                           detail: "Auth's change feed last read completely \(Format.age(probe.at - complete)) before the probe",
                                           runbook: "jwt-verification-failing"))
            }
            if let open = metrics.sum("kisum_redis_breaker_open"), open > 0 {
                alerts.append(ConsoleAlert(name: "RedisBreakerOpen", severity: .warning, target: target,
                                           detail: "Redis bypassed: answers come from the database (slower, never wrong)", runbook: "redis-down"))
            }
            if let dropped = metrics.value("kisum_log_lines_dropped_total"), dropped > 0 {
                alerts.append(ConsoleAlert(name: "LogLinesDropped", severity: .warning, target: target,
                                           detail: "\(Format.whole(dropped)) log lines dropped since start", runbook: nil))
            }
        }
        return alerts.enumerated().sorted { lhs, rhs in
            lhs.element.severity != rhs.element.severity ? lhs.element.severity > rhs.element.severity : lhs.offset < rhs.offset
        }.map(\.element)
    }
}

extension ConsoleAlerts {
    /// A certificate within the ticket threshold (14 days) warns, within the page threshold
    /// (7 days) or expired is critical; one that cannot be read warns.
    static func certificateAlerts(_ model: OverviewModel) -> [ConsoleAlert] {
        guard let checkedAt = model.certificatesCheckedAt else { return [] }
        return model.certificates.compactMap { check in
            let target = Target(service: "tls", instance: check.endpoint, managementURL: "https://\(check.endpoint)")
            switch check.level(now: checkedAt) {
            case .fine, .renewSoon:
                return nil
            case .ticket:
                return ConsoleAlert(name: "CertificateExpiring", severity: .warning, target: target,
                                    detail: "expires in \(Int(check.daysLeft(now: checkedAt) ?? 0)) days: renew it", runbook: nil)
            case .page, .expired:
                let days = Int(check.daysLeft(now: checkedAt) ?? 0)
                return ConsoleAlert(name: "CertificateExpiringSoon", severity: .critical, target: target,
                                    detail: days <= 0 ? "expired" : "expires in \(days) days: renew it now", runbook: nil)
            case .unreadable:
                return ConsoleAlert(name: "CertificateUnreadable", severity: .warning, target: target,
                                    detail: check.problem ?? "no certificate read", runbook: nil)
            }
        }
    }
}
