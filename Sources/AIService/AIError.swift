import HTTPTypes
import PlatformKit

/// AI's own refusals, each code in one place.
enum AIError {
    /// 429: the company's daily quota (the message names which) is used up until midnight UTC.
    static let quotaExhausted = PlatformError.Code("quota_exhausted", .tooManyRequests)
    /// 504: the provider did not answer within `AI_UPSTREAM_TIMEOUT`.
    static let upstreamTimeout = PlatformError.Code("upstream_timeout", .gatewayTimeout)
    /// 502: the provider answered with an error or something that is not a completion.
    static let upstreamFailed = PlatformError.Code("upstream_failed", .badGateway)
}
