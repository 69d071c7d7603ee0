import Foundation
import HTTPTypes
import Hummingbird
import PlatformKit

/// Auth's limits: sign-in per client IP (`ratelimit:login:ip:{ip}`) and per email
/// (`ratelimit:login:email:{email}`), and refresh per client IP (`ratelimit:refresh:ip:{ip}`);
/// refused with 429 `rate_limited` and `Retry-After`.
struct AuthRateLimits: Sendable {
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

    func check(ip: String, email: String) async throws {
        for (key, limit) in [("ratelimit:login:ip:\(ip)", perIP), ("ratelimit:login:email:\(email)", perEmail)] {
            try await hit(key, limit: limit, window: window, what: "sign-in attempts")
        }
    }

    /// Attempts per client IP alone (`ratelimit:{purpose}:ip:{ip}`, the sign-in limit), for
    /// routes whose subject is unknown until the attempt is checked (reset confirmation).
    func checkIP(_ purpose: String, ip: String) async throws {
        try await hit("ratelimit:\(purpose):ip:\(ip)", limit: perIP, window: window, what: "attempts")
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

    /// The client address the limits count: what our outermost proxy saw (`ForwardedFor`),
    /// else the peer.
    func clientIP(_ request: Request, _ context: PlatformRequestContext) -> String {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        guard trustForwardedFor, let header = request.headers[.xForwardedFor] else { return peer }
        return ForwardedFor.clientAddress(header: header, trustedHops: trustedHops) ?? peer
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("x-forwarded-for")!
}
