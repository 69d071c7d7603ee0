import Foundation

/// What a TLS handshake with one public endpoint showed: its certificate's expiry, or why it
/// could not be read. The thresholds are the alert rules' (renew at 30 days, a ticket at 14, a
/// page at 7).
public struct CertificateCheck: Sendable, Equatable {
    public let host: String
    public let port: Int
    /// The certificate's `notAfter`, seconds since the Unix epoch (nil: not read).
    public let notAfter: Double?
    /// Why it could not be read (nil when it was).
    public let problem: String?

    public init(host: String, port: Int, notAfter: Double?, problem: String? = nil) {
        self.host = host
        self.port = port
        self.notAfter = notAfter
        self.problem = problem
    }

    /// How urgent the certificate is, least first.
    public enum Level: Int, Sendable, Comparable {
        case fine, renewSoon, ticket, page, unreadable, expired

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var label: String {
            switch self {
            case .fine: "OK"
            case .renewSoon: "RENEW"
            case .ticket: "SOON"
            case .page: "URGENT"
            case .expired: "EXPIRED"
            case .unreadable: "UNREAD"
            }
        }
    }

    public static let renewDays = 30.0, ticketDays = 14.0, pageDays = 7.0

    /// Days until expiry at `now` (negative once expired).
    public func daysLeft(now: Double) -> Double? { notAfter.map { ($0 - now) / 86_400 } }

    public func level(now: Double) -> Level {
        guard let days = daysLeft(now: now) else { return .unreadable }
        if days <= 0 { return .expired }
        if days <= Self.pageDays { return .page }
        if days <= Self.ticketDays { return .ticket }
        if days <= Self.renewDays { return .renewSoon }
        return .fine
    }

    /// `host:port`.
    public var endpoint: String { "\(host):\(port)" }

    /// Every HTTPS endpoint the targets' public URLs name, once each, in target order.
    public static func endpoints(of targets: [Target]) -> [(host: String, port: Int)] {
        var seen = Set<String>(), endpoints: [(host: String, port: Int)] = []
        for target in targets {
            guard let text = target.publicURL, let url = URL(string: text), url.scheme == "https", let host = url.host, !host.isEmpty else { continue }
            let port = url.port ?? 443
            if seen.insert("\(host):\(port)").inserted { endpoints.append((host, port)) }
        }
        return endpoints
    }
}
