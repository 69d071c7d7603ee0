import Foundation
import Hummingbird

/// One call of the assist route: who asked what of which provider, what it cost, how it ended.
struct UsageRecord: Codable, Sendable, Equatable, ResponseEncodable {
    let id: UUID
    let task: String
    let provider: String
    let model: String
    let inputTokens: Int
    let outputTokens: Int
    let costMicros: Int64
    /// `ok`, `upstream_timeout` or `upstream_failed`.
    let outcome: String
    let durationMilliseconds: Int
    var createdAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, task, provider, model, outcome
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case costMicros = "cost_micros"
        case durationMilliseconds = "duration_ms"
        case createdAt = "created_at"
    }
}

/// Today's use by a company against its quotas.
struct UsageToday: Codable, Sendable, ResponseEncodable {
    let day: String
    let requests: Int
    let requestQuota: Int
    let tokens: Int64
    let tokenQuota: Int
    let costMicros: Int64

    enum CodingKeys: String, CodingKey {
        case day, requests, tokens
        case requestQuota = "request_quota"
        case tokenQuota = "token_quota"
        case costMicros = "cost_micros"
    }
}
