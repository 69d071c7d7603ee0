/// Quantiles of a Prometheus histogram from its cumulative buckets, as PromQL's
/// `histogram_quantile` computes them (linear within the bucket the rank falls in).
public enum HistogramQuantile {
    /// `buckets`: upper bound (`le`) → cumulative count, e.g. the increase of each bucket
    /// between two scrapes. Nil when there were no observations.
    public static func quantile(_ q: Double, buckets: [Double: Double]) -> Double? {
        let sorted = buckets.sorted { $0.key < $1.key }
        guard let total = sorted.last?.value, total > 0, (0...1).contains(q) else { return nil }
        let rank = q * total
        var lowerBound = 0.0, lowerCount = 0.0
        for (bound, count) in sorted {
            if count >= rank {
                // The rank lies in the +Inf bucket: the largest finite bound is all we know.
                if bound == .infinity { return lowerBound }
                let inBucket = count - lowerCount
                guard inBucket > 0 else { return bound }
                return lowerBound + (bound - lowerBound) * (rank - lowerCount) / inBucket
            }
            lowerBound = bound
            lowerCount = count
        }
        return lowerBound
    }

    /// The cumulative buckets of histogram `name` (summed over every series whose labels
    /// include `matching` and that `keep` accepts) in `metrics`, by upper bound.
    public static func buckets(_ name: String, in metrics: MetricsText, matching: [String: String] = [:],
                               where keep: (MetricSample) -> Bool = { _ in true }) -> [Double: Double] {
        var buckets: [Double: Double] = [:]
        for sample in metrics.all(name + "_bucket", matching: matching) where keep(sample) {
            guard let text = sample.labels["le"], let bound = MetricsText.number(Substring(text)) else { continue }
            buckets[bound, default: 0] += sample.value
        }
        return buckets
    }

    /// Each bucket's increase from `before` to `after` (a counter reset counts from zero).
    public static func increase(from before: [Double: Double], to after: [Double: Double]) -> [Double: Double] {
        var delta: [Double: Double] = [:]
        for (bound, count) in after {
            let previous = before[bound] ?? 0
            delta[bound] = count >= previous ? count - previous : count
        }
        return delta
    }
}
