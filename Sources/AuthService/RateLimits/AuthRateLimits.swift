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
    /// Whether the first `X-Forwarded-For` address is the client (only behind our ingress).
    let trustForwardedFor: Bool

    func check(ip: String, email: String) async throws {
        for (key, limit) in [("ratelimit:login:ip:\(ip)", perIP), ("ratelimit:login:email:\(email)", perEmail)] {
            try await hit(key, limit: limit, window: window, what: "sign-in attempts")
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

    func clientIP(_ request: Request, _ context: PlatformRequestContext) -> String {
        if trustForwardedFor, let forwarded = request.headers[.xForwardedFor]?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("x-forwarded-for")!
}
