/// One dependency `/ready` checks, concurrently with the others and within its own timeout.
public struct ReadinessCheck: Sendable {
    public let name: String
    /// A failing critical check makes the daemon not ready (503).
    public let critical: Bool
    public let timeout: Duration
    public let probe: @Sendable () async throws -> Void

    public init(name: String, critical: Bool = true, timeout: Duration = .seconds(1),
                probe: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.critical = critical
        self.timeout = timeout
        self.probe = probe
    }
}

/// A check's failure with a reason fit for an operator (no secrets, no host names).
public struct ReadinessFailure: Error, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}
