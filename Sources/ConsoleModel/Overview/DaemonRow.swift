/// One line of the overview: a daemon instance's state and traffic.
public struct DaemonRow: Sendable, Equatable {
    public let target: Target
    public let health: DaemonHealth
    /// Seconds since the process started (from `kisum_process_start_time_seconds`).
    public let uptimeSeconds: Double?
    /// Between the last two scrapes; nil until two exist.
    public let rates: TrafficRates?
    /// Requests per second over recent passes, oldest first (the sparkline).
    public let history: [Double]
    /// Seconds since the Unix epoch of the last pass that reached it.
    public let lastSeen: Double?
}
