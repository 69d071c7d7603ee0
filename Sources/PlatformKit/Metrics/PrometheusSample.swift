import Foundation

/// One sample of the Prometheus text exposition: `name{label="value",…} 12.5`.
public struct PrometheusSample: Sendable, Equatable {
    public var name: String
    public var labels: [String: String]
    public var value: Double

    public init(name: String, labels: [String: String] = [:], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }

    /// Parses an exposition, skipping comments and lines it cannot read (never throws: a
    /// dashboard shows what it can).
    public static func parse(_ text: String) -> [PrometheusSample] {
        text.split(whereSeparator: \.isNewline).compactMap { parseLine(Substring($0)) }
    }

    static func parseLine(_ line: Substring) -> PrometheusSample? {
        let line = line.trimmingCharacters(in: .whitespaces)
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        var labels: [String: String] = [:]
        let name: String
        let rest: Substring
        if let open = line.firstIndex(of: "{") {
            name = String(line[..<open])
            guard let close = line.lastIndex(of: "}"), close > open else { return nil }
            labels = parseLabels(line[line.index(after: open)..<close])
            rest = line[line.index(after: close)...]
        } else {
            guard let space = line.firstIndex(of: " ") else { return nil }
            name = String(line[..<space])
            rest = line[space...]
        }
        guard let valueText = rest.split(separator: " ").first else { return nil }
        let value: Double? = switch valueText {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(valueText)
        }
        guard let value, !name.isEmpty else { return nil }
        return PrometheusSample(name: name, labels: labels, value: value)
    }

    static func parseLabels(_ text: Substring) -> [String: String] {
        var labels: [String: String] = [:]
        var index = text.startIndex
        while index < text.endIndex {
            guard let equals = text[index...].firstIndex(of: "=") else { break }
            let key = text[index..<equals].trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
            var cursor = text.index(after: equals)
            guard cursor < text.endIndex, text[cursor] == "\"" else { break }
            cursor = text.index(after: cursor)
            var value = ""
            while cursor < text.endIndex, text[cursor] != "\"" {
                if text[cursor] == "\\", text.index(after: cursor) < text.endIndex {
                    cursor = text.index(after: cursor)
                    value.append(text[cursor] == "n" ? "\n" : text[cursor])
                } else {
                    value.append(text[cursor])
                }
                cursor = text.index(after: cursor)
            }
            labels[key] = value
            index = cursor < text.endIndex ? text.index(after: cursor) : cursor
        }
        return labels
    }
}

extension Array where Element == PrometheusSample {
    /// The sum of every series of `name` whose labels satisfy `filter`.
    public func sum(_ name: String, where filter: ([String: String]) -> Bool = { _ in true }) -> Double {
        reduce(0) { $1.name == name && filter($1.labels) ? $0 + $1.value : $0 }
    }

    /// A quantile of histogram `name` (all series merged), interpolated within its bucket;
    /// nil without observations.
    public func quantile(_ q: Double, ofHistogram name: String) -> Double? {
        var buckets: [Double: Double] = [:]
        for sample in self where sample.name == name + "_bucket" {
            guard let bound = sample.labels["le"].flatMap({ $0 == "+Inf" ? Double.infinity : Double($0) }) else { continue }
            buckets[bound, default: 0] += sample.value
        }
        let sorted = buckets.sorted { $0.key < $1.key }
        guard let total = sorted.last?.value, total > 0 else { return nil }
        let rank = q * total
        var previousBound = 0.0, previousCount = 0.0
        for (bound, count) in sorted {
            if count >= rank {
                if bound.isInfinite { return previousBound }
                let inBucket = count - previousCount
                return inBucket > 0 ? previousBound + (bound - previousBound) * (rank - previousCount) / inBucket : bound
            }
            previousBound = bound
            previousCount = count
        }
        return previousBound
    }
}
