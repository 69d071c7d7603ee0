import PlatformKit
import Prometheus

/// What AI counts beyond every daemon's request metrics: provider calls by outcome and their
/// latency, and requests refused by a quota.
struct AIMetrics: Sendable {
    let metrics: PlatformMetrics
    let quotaRefusals: Counter

    init(_ metrics: PlatformMetrics) {
        self.metrics = metrics
        quotaRefusals = metrics.counter("kisum_ai_quota_refusals_total", help: "Assist requests refused because a daily quota was used up.")
    }

    func refusedByQuota() { quotaRefusals.increment() }

    func record(provider: String, outcome: String, elapsed: Duration) {
        let labels = [("provider", provider), ("outcome", outcome)]
        metrics.counter("kisum_ai_provider_calls_total", help: "Calls of the assist provider, by provider and outcome.", labels: labels).increment()
        metrics.latency("kisum_ai_provider_call_seconds", help: "Assist provider call latency, by provider and outcome.", labels: labels)
            .record(elapsed)
    }
}
