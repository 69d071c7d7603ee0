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
    /// non-finite values are skipped (a console shows what it can; it never fails on one odd
    /// line). Reads bytes, not characters: a daemon's scrape is thousands of ASCII lines.
    public init(parsing text: String) {
        var samples: [MetricSample] = []
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                if end > start && bytes[start] != UInt8(ascii: "#"),
                   let sample = Self.parse(line: UnsafeBufferPointer(rebasing: bytes[start..<end])) {
                    samples.append(sample)
                }
                start = end + 1
            }
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

    static func parse(line: UnsafeBufferPointer<UInt8>) -> MetricSample? {
        let count = line.count, quote = UInt8(ascii: "\""), space = UInt8(ascii: " ")
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self) }
        var index = 0
        while index < count && line[index] != UInt8(ascii: "{") && line[index] != space { index += 1 }
        guard index > 0 else { return nil }
        let name = text(0..<index)
        var labels: [String: String] = [:]
        if index < count && line[index] == UInt8(ascii: "{") {
            index += 1
            while index < count && line[index] != UInt8(ascii: "}") {
                if line[index] == UInt8(ascii: ",") || line[index] == space { index += 1; continue }
                let keyStart = index
                while index < count && line[index] != UInt8(ascii: "=") { index += 1 }
                guard index + 1 < count, line[index + 1] == quote else { return nil }
                let key = text(keyStart..<index)
                index += 2
                var value: [UInt8] = [], escaped = false, closed = false
                while index < count {
                    let byte = line[index]
                    index += 1
                    if escaped {
                        value.append(byte == UInt8(ascii: "n") ? 0x0A : byte)
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == quote {
                        closed = true
                        break
                    } else {
                        value.append(byte)
                    }
                }
                guard closed else { return nil }
                labels[key] = String(decoding: value, as: UTF8.self)
            }
            guard index < count else { return nil }
            index += 1
        }
        while index < count && line[index] == space { index += 1 }
        var end = index
        while end < count && line[end] != space { end += 1 }
        // Non-finite values (NaN, ±Inf) say nothing a console can show: dropped.
        guard end > index, let value = Self.number(Substring(text(index..<end))), value.isFinite else { return nil }
        return MetricSample(name: name, labels: labels, value: value)
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
