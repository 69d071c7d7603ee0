/// The console's picture of every daemon: the last two probes of each target and a short
/// history of its request rate. A value: collectors hand it probes, views read rows from it.
public struct OverviewModel: Sendable {
    /// How many passes the sparkline keeps.
    public static let historyLength = 40

    private var targets: [Target]
    private var latest: [Target: Probe] = [:]
    private var previous: [Target: Probe] = [:]
    private var history: [Target: [Double]] = [:]
    private var lastSeen: [Target: Double] = [:]
    /// Each target's rates between its last two scrapes, computed once per probe (screens read
    /// rows every frame).
    private var currentRates: [Target: TrafficRates] = [:]

    /// The public endpoints' certificates as last checked (checked far less often than probes).
    public private(set) var certificates: [CertificateCheck] = []
    /// When they were checked (Unix seconds; nil: not yet).
    public private(set) var certificatesCheckedAt: Double?

    /// Auth's signing keys as last read through Admin (nil: not read yet).
    public private(set) var signingKeys: SigningKeysReport?
    public private(set) var signingKeysReadAt: Double?

    public init(targets: [Target]) {
        self.targets = targets
    }

    /// Admin's newest audit entries as last read (nil: not read yet).
    public private(set) var audit: AuditReport?
    public private(set) var auditReadAt: Double?

    /// Takes in one reading of the audit trail, made at `at`.
    public mutating func record(audit: AuditReport, at: Double) {
        self.audit = audit
        auditReadAt = at
    }

    /// Takes in one reading of the signing keys, made at `at`.
    public mutating func record(signingKeys: SigningKeysReport, at: Double) {
        self.signingKeys = signingKeys
        signingKeysReadAt = at
    }

    /// Takes in one round of certificate checks, made at `at`.
    public mutating func record(certificates: [CertificateCheck], at: Double) {
        self.certificates = certificates
        certificatesCheckedAt = at
    }

    /// Takes in one probe (a newer one replaces the latest; the latest becomes the previous).
    public mutating func record(_ probe: Probe) {
        if !targets.contains(probe.target) { targets.append(probe.target) }
        if let current = latest[probe.target] {
            guard probe.monotonic > current.monotonic else { return }
            // Only a scrape that read metrics moves the rate window.
            if current.metrics != nil { previous[probe.target] = current }
        }
        latest[probe.target] = probe
        if probe.healthFailure == nil { lastSeen[probe.target] = probe.at }
        currentRates[probe.target] = rates(of: probe.target)
        if let rates = currentRates[probe.target] {
            var points = history[probe.target] ?? []
            points.append(rates.requestsPerSecond)
            if points.count > Self.historyLength { points.removeFirst(points.count - Self.historyLength) }
            history[probe.target] = points
        }
    }

    /// Every target in inventory order.
    public var rows: [DaemonRow] {
        targets.map { target in
            let probe = latest[target]
            let started = probe?.metrics?.value("kisum_process_start_time_seconds")
            return DaemonRow(target: target, health: DaemonHealth(probe: probe),
                             uptimeSeconds: both(probe?.at, started).map { max(0, $0.0 - $0.1) },
                             rates: currentRates[target], history: history[target] ?? [], lastSeen: lastSeen[target])
        }
    }

    /// The latest probe of `target`.
    public func probe(of target: Target) -> Probe? { latest[target] }

    private func rates(of target: Target) -> TrafficRates? {
        guard let after = latest[target], let before = previous[target] else { return nil }
        return TrafficRates(from: before.metrics, to: after.metrics, seconds: after.monotonic - before.monotonic)
    }
}

/// Both values or nil.
func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
