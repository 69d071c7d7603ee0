import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line:
/// `{"ts":…,"level":…,"service":…,"env":…,"msg":…, …metadata}`. Credentials are redacted
/// (see `LogRedaction`) before a line is formed.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// `,"service":…,"env":…,"instance":…,"logger":…`, escaped once.
    private let constantFields: String
    private let sink: any LogSink

    public init(label: String, service: String, environment: String, instance: String,
                level: Logger.Level, sink: any LogSink, metadataProvider: Logger.MetadataProvider? = nil) {
        var fields = ""
        fields.appendJSONField("service", service)
        fields.appendJSONField("env", environment)
        fields.appendJSONField("instance", instance)
        fields.appendJSONField("logger", label)
        constantFields = fields
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }

        var line = "{"
        line.reserveCapacity(512)
        line.appendJSONField("ts", Self.timestamp(), first: true)
        line.appendJSONField("level", event.level.rawValue)
        line.append(constantFields)
        line.appendJSONField("msg", LogRedaction.scrub(event.message.description))
        for key in merged.keys.sorted() {
            let name = key.hasPrefix("hb.") ? "hb_" + key.dropFirst(3).replacingOccurrences(of: ".", with: "_") : key
            let value = LogRedaction.isSensitive(key: key) ? LogRedaction.mask : LogRedaction.scrub(Self.flatten(merged[key]!))
            line.appendJSONField(name, value)
        }
        if event.level >= .warning {
            line.appendJSONField("source", "\(event.file.split(separator: "/").last ?? ""):\(event.line)")
        }
        line.append("}")
        sink.write(line: line, urgent: event.level >= .critical)
    }

    private static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let items): "[" + items.map(flatten).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{" + dictionary.keys.sorted().map { key in
                "\(key)=\(LogRedaction.isSensitive(key: key) ? LogRedaction.mask : flatten(dictionary[key]!))"
            }.joined(separator: ",") + "}"
        }
    }

    /// The current time as RFC 3339 UTC with milliseconds (`2026-11-30T17:58:31.123Z`),
    /// formatted without a shared formatter or a lock.
    static func timestamp() -> String {
        let now = Date().timeIntervalSince1970
        let whole = now.rounded(.down)
        var seconds = time_t(whole)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = min(999, Int((now - whole) * 1000))
        var text = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var value = value
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                text[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, 4, at: 0); text[4] = UInt8(ascii: "-")
        put(Int(parts.tm_mon) + 1, 2, at: 5); text[7] = UInt8(ascii: "-")
        put(Int(parts.tm_mday), 2, at: 8); text[10] = UInt8(ascii: "T")
        put(Int(parts.tm_hour), 2, at: 11); text[13] = UInt8(ascii: ":")
        put(Int(parts.tm_min), 2, at: 14); text[16] = UInt8(ascii: ":")
        put(Int(parts.tm_sec), 2, at: 17); text[19] = UInt8(ascii: ".")
        put(milliseconds, 3, at: 20); text[23] = UInt8(ascii: "Z")
        return String(decoding: text, as: UTF8.self)
    }
}

extension String {
    /// Appends `"key":"value"` with JSON escaping.
    mutating func appendJSONField(_ key: String, _ value: String, first: Bool = false) {
        if !first { append(",") }
        appendJSONString(key)
        append(":")
        appendJSONString(value)
    }

    mutating func appendJSONString(_ text: String) {
        append("\"")
        // Most values need no escaping: appended whole, not scalar by scalar.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            append(text)
            append("\"")
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": append("\\\"")
            case "\\": append("\\\\")
            case "\n": append("\\n")
            case "\r": append("\\r")
            case "\t": append("\\t")
            case _ where scalar.value < 0x20:
                append(String(format: "\\u%04x", scalar.value))
            default:
                unicodeScalars.append(scalar)
            }
        }
        append("\"")
    }
}
