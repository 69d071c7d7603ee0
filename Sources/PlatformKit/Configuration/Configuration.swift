/// A daemon's validated configuration. Every declared key was checked at load time, so the
/// typed accessors only return `nil` for optional keys that were not set.
public struct Configuration: Sendable {
    public let service: String
    public let environment: DeploymentEnvironment
    private let values: [String: ConfigValue]

    public init(service: String, environment: DeploymentEnvironment, values: [String: ConfigValue]) {
        self.service = service
        self.environment = environment
        self.values = values
    }

    public func string(_ name: String) -> String? {
        if case .string(let value) = values[name] { return value }
        return nil
    }

    public func integer(_ name: String) -> Int? {
        if case .integer(let value) = values[name] { return value }
        return nil
    }

    public func duration(_ name: String) -> Duration? {
        if case .duration(let value) = values[name] { return value }
        return nil
    }

    public func boolean(_ name: String) -> Bool? {
        if case .boolean(let value) = values[name] { return value }
        return nil
    }

    public func listenAddress(_ name: String) -> ListenAddress? {
        if case .listenAddress(let value) = values[name] { return value }
        return nil
    }

    /// Whether a value (set or defaulted) exists for `name`.
    public func has(_ name: String) -> Bool { values[name] != nil }
}
