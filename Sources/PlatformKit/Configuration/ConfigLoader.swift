import Foundation

/// Reads a `ConfigSpec` from an environment, validating every key before failing.
public struct ConfigLoader: Sendable {
    public let environment: [String: String]
    private let readFile: @Sendable (String) throws -> String

    /// - Parameters:
    ///   - environment: the process environment (or a test's dictionary).
    ///   - readFile: reads `NAME_FILE` targets; replaceable in tests.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        readFile: @escaping @Sendable (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) {
        self.environment = environment
        self.readFile = readFile
    }

    /// Validates every key of `spec` and returns the typed values, or throws a `ConfigError`
    /// naming every problem.
    public func load(_ spec: ConfigSpec) throws(ConfigError) -> Configuration {
        var problems: [ConfigError.Problem] = []
        let deployment = environment["KISUM_ENV"].flatMap(DeploymentEnvironment.init(rawValue:))
        var values: [String: ConfigValue] = [:]

        for key in spec.keys {
            let raw: String?
            do {
                raw = try rawValue(for: key)
            } catch let problem {
                problems.append(problem)
                continue
            }
            guard let raw else {
                switch key.requirement {
                case .required:
                    problems.append(.init(variable: key.name, reason: "is required (\(key.kind.description))"))
                case .optional:
                    break
                case .defaulted(let fallback):
                    values[key.name] = Self.parse(fallback, as: key.kind)
                case .localDefault(let fallback):
                    if deployment?.allowsDevelopmentDefaults == true {
                        values[key.name] = Self.parse(fallback, as: key.kind)
                    } else {
                        problems.append(.init(variable: key.name,
                                              reason: "is required outside local (\(key.kind.description))"))
                    }
                }
                continue
            }
            if let value = Self.parse(raw, as: key.kind) {
                values[key.name] = value
            } else {
                let shown = key.isSecret ? "" : " (got \"\(raw.prefix(60))\")"
                problems.append(.init(variable: key.name, reason: "must be \(key.kind.description)\(shown)"))
            }
        }
        if !problems.isEmpty {
            throw ConfigError(service: spec.service, problems: problems)
        }
        return Configuration(service: spec.service, environment: deployment ?? .local, values: values)
    }

    /// The raw text of `key`: from `NAME`, or for secrets from the file named by `NAME_FILE`.
    private func rawValue(for key: ConfigKey) throws(ConfigError.Problem) -> String? {
        let direct = environment[key.name].flatMap { $0.isEmpty ? nil : $0 }
        let filePath = environment["\(key.name)_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        switch (direct, filePath) {
        case (.some, .some):
            throw .init(variable: key.name, reason: "set both \(key.name) and \(key.name)_FILE; set one")
        case (.some(let value), nil):
            return value
        case (nil, .some(let path)):
            guard key.isSecret else {
                throw .init(variable: "\(key.name)_FILE", reason: "only secrets may be read from a file")
            }
            do {
                let text = try readFile(path).trimmingCharacters(in: .whitespacesAndNewlines)
                guard !text.isEmpty else { throw ConfigError.Problem(variable: "\(key.name)_FILE", reason: "file \(path) is empty") }
                return text
            } catch let problem as ConfigError.Problem {
                throw problem
            } catch {
                throw .init(variable: "\(key.name)_FILE", reason: "cannot read \(path)")
            }
        case (nil, nil):
            return nil
        }
    }

    static func parse(_ raw: String, as kind: ConfigKey.Kind) -> ConfigValue? {
        switch kind {
        case .string:
            return .string(raw)
        case .url(let schemes):
            guard let components = URLComponents(string: raw), let scheme = components.scheme?.lowercased(),
                  schemes.contains(scheme), components.host?.isEmpty == false || components.path.hasPrefix("/")
            else { return nil }
            return .string(raw)
        case .integer(let range):
            guard let number = Int(raw), range.contains(number) else { return nil }
            return .integer(number)
        case .duration:
            return Duration(configText: raw).map(ConfigValue.duration)
        case .boolean:
            switch raw.lowercased() {
            case "true", "1", "yes", "on": return .boolean(true)
            case "false", "0", "no", "off": return .boolean(false)
            default: return nil
            }
        case .choice(let words):
            return words.contains(raw) ? .string(raw) : nil
        case .listenAddress:
            return ListenAddress(parsing: raw).map(ConfigValue.listenAddress)
        }
    }
}

extension ConfigError.Problem: Error {}
