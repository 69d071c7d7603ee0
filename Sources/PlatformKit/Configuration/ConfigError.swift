/// Startup configuration is missing or malformed. Names every bad variable at once.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// One variable that failed validation.
    public struct Problem: Sendable, Hashable {
        public let variable: String
        public let reason: String

        public init(variable: String, reason: String) {
            self.variable = variable
            self.reason = reason
        }
    }

    public let service: String
    public let problems: [Problem]

    public init(service: String, problems: [Problem]) {
        self.service = service
        self.problems = problems
    }

    public var description: String {
        let lines = problems.map { "  - \($0.variable): \($0.reason)" }
        return "\(service): invalid configuration (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + lines.joined(separator: "\n")
    }
}
