import Prometheus

extension PlatformMetrics {
    /// A counter with help text; the same name and labels return the same counter.
    public func counter(_ name: String, help: String, labels: [(String, String)] = []) -> Counter {
        registry.makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
    }

    /// A gauge with help text.
    public func gauge(_ name: String, help: String, labels: [(String, String)] = []) -> Gauge {
        registry.makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
    }

    /// A latency histogram (seconds) with the platform's buckets.
    public func latency(_ name: String, help: String, labels: [(String, String)] = []) -> DurationHistogram {
        registry.makeDurationHistogram(descriptor: Self.descriptor(name, help), labels: labels, buckets: Self.latencyBuckets)
    }

    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
