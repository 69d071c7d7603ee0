import Foundation
import HTTPTypes
import Hummingbird
import PlatformKit

/// The sign-in limits of the spec: per client IP (`ratelimit:login:ip:{ip}`) and per email
/// (`ratelimit:login:email:{email}`); refused with 429 `rate_limited` and `Retry-After`.
struct LoginLimits: Sendable {
    let limiter: RateLimiter
    let perIP: Int
    let perEmail: Int
    let window: Duration
    /// Whether the first `X-Forwarded-For` address is the client (only behind our ingress).
    let trustForwardedFor: Bool

    func check(ip: String, email: String) async throws {
        for (key, limit) in [("ratelimit:login:ip:\(ip)", perIP), ("ratelimit:login:email:\(email)", perEmail)] {
            let decision = try await limiter.hit(key, limit: limit, window: window)
            guard decision.allowed else {
                throw PlatformError(.rateLimited, "Too many sign-in attempts; retry in \(decision.retryAfterSeconds) s.",
                                    headers: [.retryAfter: String(decision.retryAfterSeconds)])
            }
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
