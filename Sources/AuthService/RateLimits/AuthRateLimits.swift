import Foundation
import HTTPTypes
import Hummingbird
import PlatformKit
import Prometheus

/// Auth's limits, each purpose with counters of its own (so traffic of one cannot exhaust
/// another's, and no subject of one can be spelled as a subject of another): per client
/// (`ratelimit:{purpose}:ip:{client}`) and, where there is one, per subject
/// (`ratelimit:{purpose}:subject:{subject}`: the email signing in, the user changing their
/// password); refused with 429 `rate_limited` and `Retry-After`.
struct AuthRateLimits: Sendable {
    /// What is being attempted.
    enum Purpose: String, Sendable {
        case login
        case resetRequest = "reset-request"
        case resetConfirm = "reset-confirm"
        case passwordChange = "password-change"
    }

    let limiter: RateLimiter
    let perIP: Int
    let perEmail: Int
    let window: Duration
    let refreshPerIP: Int
    let refreshWindow: Duration
    /// Whether to read the client from `X-Forwarded-For` (only behind our ingress).
    let trustForwardedFor: Bool
    /// How many proxies of ours append to `X-Forwarded-For` in front of Auth.
    let trustedHops: Int
    let metrics: PlatformMetrics

    /// One attempt of `purpose` by `ip` (and `subject`, when known): the sign-in limits
    /// (`LOGIN_RATE_LIMIT_PER_IP`, `LOGIN_RATE_LIMIT_PER_EMAIL` per `LOGIN_RATE_WINDOW`).
    func check(_ purpose: Purpose, ip: String, subject: String? = nil) async throws {
        try await hit("ratelimit:\(purpose.rawValue):ip:\(ip)", limit: perIP, window: window, what: "attempts")
        if let subject {
            try await hit("ratelimit:\(purpose.rawValue):subject:\(subject)", limit: perEmail, window: window, what: "attempts")
        }
    }

    func checkRefresh(ip: String) async throws {
        try await hit("ratelimit:refresh:ip:\(ip)", limit: refreshPerIP, window: refreshWindow, what: "refreshes")
    }

    private func hit(_ key: String, limit: Int, window: Duration, what: String) async throws {
        let decision = try await limiter.hit(key, limit: limit, window: window)
        guard decision.allowed else {
            throw PlatformError(.rateLimited, "Too many \(what); retry in \(decision.retryAfterSeconds) s.",
                                headers: [.retryAfter: String(decision.retryAfterSeconds)])
        }
    }

    /// The client the limits count (an IPv6 client by its /64): what our outermost proxy saw
    /// (`ForwardedFor`), else the peer. An entry that is not an address is counted as itself,
    /// never as the proxy's own address (which would lock every client out at once), and
    /// counted in `kisum_auth_forwarded_for_unparsable_total` so a misconfiguration shows.
    func clientIP(_ request: Request, _ context: PlatformRequestContext) -> String {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        guard trustForwardedFor, let header = request.headers[.xForwardedFor] else { return ForwardedFor.limitKey(for: peer) }
        switch ForwardedFor.client(header: header, trustedHops: trustedHops) {
        case .address(let address):
            return ForwardedFor.limitKey(for: address)
        case .unparsable(let entry):
            metrics.counter("kisum_auth_forwarded_for_unparsable_total",
                            help: "Requests whose trusted X-Forwarded-For entry was not an address (ingress misconfigured?).").increment()
            return "unparsable:" + entry
        }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("x-forwarded-for")!
}
