import Foundation

/// A validated configuration value.
public enum ConfigValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case duration(Duration)
    case boolean(Bool)
    case listenAddress(ListenAddress)
}

/// A `host:port` pair a listener binds to.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (IPv6 hosts in brackets); port 0 asks the system for a free port.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension Duration {
    /// Parses `250ms`, `30s`, `15m`, `1h`, `2d` or a bare number of seconds.
    public init?(configText text: String) {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (suffix, millis) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            // "ms" also ends in "s": only accept a suffix whose remainder is a number.
            if let value = Int64(number), value >= 0 {
                self = .milliseconds(value * millis)
                return
            }
        }
        guard let seconds = Int64(trimmed), seconds >= 0 else { return nil }
        self = .seconds(seconds)
    }

    /// Whole seconds, rounded down.
    public var wholeSeconds: Int64 { components.seconds }

    /// Seconds as a floating point number.
    public var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
