/// One sample of a Prometheus text exposition: `name{label="value",…} 12.5`.
public struct MetricSample: Sendable, Hashable {
    public let name: String
    public let labels: [String: String]
    public let value: Double

    public init(name: String, labels: [String: String] = [:], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }
}

/// The samples of one scrape of `/metrics`, looked up by name.
public struct MetricsText: Sendable {
    public let samples: [MetricSample]
    private let byName: [String: [MetricSample]]

    public init(samples: [MetricSample]) {
        self.samples = samples
        byName = Dictionary(grouping: samples, by: \.name)
    }

    /// Parses the text exposition format (0.0.4). Comments, lines it cannot read and
    /// non-finite values are skipped (a console shows what it can; it never fails on one odd line).
    public init(parsing text: String) {
        var samples: [MetricSample] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.first == "#" { continue }
            if let sample = Self.parse(line: line) { samples.append(sample) }
        }
        self.init(samples: samples)
    }

    /// Every sample named `name` whose labels include `matching`.
    public func all(_ name: String, matching: [String: String] = [:]) -> [MetricSample] {
        (byName[name] ?? []).filter { sample in matching.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    /// The sum of every sample named `name` whose labels include `matching` (nil if none).
    public func sum(_ name: String, matching: [String: String] = [:], where keep: (MetricSample) -> Bool = { _ in true }) -> Double? {
        let matched = all(name, matching: matching).filter(keep)
        return matched.isEmpty ? nil : matched.reduce(0) { $0 + $1.value }
    }

    /// The first sample named `name` (a gauge without labels, typically).
    public func value(_ name: String) -> Double? { byName[name]?.first?.value }

    static func parse(line: Substring) -> MetricSample? {
        var rest = line[...]
        let name = rest.prefix { $0 != "{" && $0 != " " }
        guard !name.isEmpty else { return nil }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while let first = rest.first, first != "}" {
                if first == "," || first == " " { rest = rest.dropFirst(); continue }
                let key = rest.prefix { $0 != "=" }
                rest = rest.dropFirst(key.count)
                guard rest.first == "=", rest.dropFirst().first == "\"" else { return nil }
                rest = rest.dropFirst(2)
                var value = ""
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character == "n" ? "\n" : character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
                labels[String(key)] = value
            }
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        let fields = rest.split(separator: " ", omittingEmptySubsequences: true)
        // Non-finite values (NaN, ±Inf) say nothing a console can show: dropped.
        guard let text = fields.first, let value = Self.number(text), value.isFinite else { return nil }
        return MetricSample(name: String(name), labels: labels, value: value)
    }

    static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }
}
