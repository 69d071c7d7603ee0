import Foundation

/// The complete list of variables one daemon reads: what `ConfigLoader` validates and what
/// the generated README table documents.
public struct ConfigSpec: Sendable {
    public let service: String
    public private(set) var keys: [ConfigKey]

    public init(service: String, keys: [ConfigKey] = []) {
        self.service = service
        self.keys = []
        add(ConfigSpec.commonKeys)
        add(keys)
    }

    /// Adds keys, ignoring any already declared under the same name.
    public mutating func add(_ more: [ConfigKey]) {
        for key in more where !keys.contains(where: { $0.name == key.name }) {
            keys.append(key)
        }
    }

    /// Keys every daemon reads.
    public static let commonKeys: [ConfigKey] = [
        ConfigKey("KISUM_ENV", .choice(DeploymentEnvironment.allCases.map(\.rawValue)), .required,
                  summary: "Deployment environment"),
        ConfigKey("LOG_LEVEL", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]),
                  .defaulted("info"), summary: "Minimum log level"),
        ConfigKey("KISUM_INSTANCE", .string, .optional, summary: "Instance name shown in logs (defaults to the host name)"),
        ConfigKey("HTTP_MAX_BODY_BYTES", .integer(1...64 * 1024 * 1024), .defaulted("1048576"),
                  summary: "Largest request body accepted"),
        ConfigKey("SHUTDOWN_GRACE", .duration, .defaulted("10s"),
                  summary: "How long in-flight requests may finish after SIGTERM"),
    ]

    /// A Markdown table of the keys, for the README.
    public func markdownTable() -> String {
        var lines = ["| Variable | Type | Required | Secret | Meaning |", "| --- | --- | --- | --- | --- |"]
        for key in keys {
            let required: String = switch key.requirement {
            case .required: "yes"
            case .optional: "no"
            case .defaulted(let value): "no (default `\(value)`)"
            case .localDefault: "yes (outside `local`)"
            }
            let kind = key.kind.description.replacingOccurrences(of: "|", with: "\\|")
            lines.append("| `\(key.name)` | \(kind) | \(required) | \(key.isSecret ? "yes, or `\(key.name)_FILE`" : "no") | \(key.summary) |")
        }
        return lines.joined(separator: "\n")
    }
}
