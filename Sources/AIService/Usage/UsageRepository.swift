import BusinessBackend
import Foundation
import HTTPTypes
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// The quota ledger and usage records in `ai_db`. A request claims its slot in the day's row
/// before the provider is called (one statement, so concurrent requests never exceed the
/// quota), and settles it afterwards: tokens and cost added, or the slot given back when the
/// provider failed.
struct UsageRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    /// The day's quotas, as `claim` checks them.
    struct Quotas: Sendable {
        let requests: Int
        let tokens: Int
    }

    /// A claimed request: its UTC day and the tokens reserved for it.
    struct Claim: Sendable {
        let day: String
        let reservedTokens: Int
    }

    /// Claims one request of today's (UTC) quota for the company and reserves `tokens` (the
    /// most the call can use), or throws 429 `quota_exhausted` naming the quota that is used up.
    /// One statement: concurrent claims never pass a quota by more than one call's reservation.
    func claim(_ scope: CompanyScope, quotas: Quotas, tokens: Int) async throws -> Claim {
        let claimed = try await database.query("""
            INSERT INTO ai_daily_usage AS u (company_id, day, requests, tokens)
            VALUES (\(scope.companyID), (now() AT TIME ZONE 'UTC')::date, 1, \(Int64(tokens)))
            ON CONFLICT (company_id, day) DO UPDATE SET requests = u.requests + 1, tokens = u.tokens + \(Int64(tokens))
            WHERE u.requests < \(quotas.requests) AND u.tokens < \(Int64(quotas.tokens))
            RETURNING to_char(day, 'YYYY-MM-DD')
            """, operation: "ai_quota_claim", logger: logger)
        if let row = claimed.first { return Claim(day: try row.decode(String.self), reservedTokens: tokens) }
        let today = try await self.today(scope)
        let (name, limit) = today.requests >= quotas.requests ? ("daily request quota", quotas.requests) : ("daily token quota", quotas.tokens)
        throw PlatformError(AIError.quotaExhausted, "The company's \(name) of \(limit) is used up until midnight UTC.",
                            headers: [.retryAfter: String(Self.secondsToMidnightUTC())])
    }

    /// Records a finished call on the day it was claimed: its tokens replace the reservation and
    /// its cost is added; a failed call also gives its request back.
    func settle(_ scope: CompanyScope, claim: Claim, record: UsageRecord) async throws {
        try await database.withTransaction("ai_usage_settle", logger: logger) { connection in
            _ = try await connection.query("""
                INSERT INTO ai_usage_records (id, company_id, user_id, day, task, provider, model, input_tokens, output_tokens, cost_micros,
                                              outcome, duration_ms)
                VALUES (\(record.id), \(scope.companyID), \(scope.userID), \(claim.day)::date, \(record.task), \(record.provider),
                        \(record.model), \(record.inputTokens), \(record.outputTokens), \(record.costMicros), \(record.outcome),
                        \(record.durationMilliseconds))
                """, logger: logger).collect()
            let ok = record.outcome == "ok"
            let used = Int64(record.inputTokens + record.outputTokens) - Int64(claim.reservedTokens)
            _ = try await connection.query("""
                UPDATE ai_daily_usage SET tokens = greatest(tokens + \(used), 0), cost_micros = cost_micros + \(record.costMicros),
                    requests = greatest(requests - \(ok ? 0 : 1), 0)
                WHERE company_id = \(scope.companyID) AND day = \(claim.day)::date
                """, logger: logger).collect()
        }
    }

    /// Today's (UTC, by the database's clock, as claims count it) use by the company.
    func today(_ scope: CompanyScope) async throws -> (day: String, requests: Int, tokens: Int64, costMicros: Int64) {
        let rows = try await database.query("""
            SELECT to_char(d.day, 'YYYY-MM-DD'), coalesce(u.requests, 0), coalesce(u.tokens, 0), coalesce(u.cost_micros, 0)
            FROM (SELECT (now() AT TIME ZONE 'UTC')::date AS day) d
            LEFT JOIN ai_daily_usage u ON u.company_id = \(scope.companyID) AND u.day = d.day
            """, operation: "ai_usage_today", logger: logger)
        let (day, requests, tokens, cost) = try rows[0].decode((String, Int, Int64, Int64).self)
        return (day, requests, tokens, cost)
    }

    /// The company's calls, oldest first.
    func records(_ scope: CompanyScope, _ page: PageRequest) async throws -> Page<UsageRecord> {
        let rows = try await database.query("""
            SELECT position, id, task, provider, model, input_tokens, output_tokens, cost_micros, outcome, duration_ms, created_at
            FROM ai_usage_records WHERE company_id = \(scope.companyID) AND position > \(page.afterPosition)
            ORDER BY position LIMIT \(page.fetchLimit)
            """, operation: "ai_usage_records", logger: logger)
        return Page(rows: try rows.map { row in
            let (position, id, task, provider, model, input, output, cost, outcome, duration, created) =
                try row.decode((Int64, UUID, String, String, String, Int, Int, Int64, String, Int, Date).self)
            return (position, UsageRecord(id: id, task: task, provider: provider, model: model, inputTokens: input, outputTokens: output,
                                          costMicros: cost, outcome: outcome, durationMilliseconds: duration, createdAt: created))
        }, request: page)
    }

    static func secondsToMidnightUTC(from now: Date = Date()) -> Int {
        let seconds = Int(now.timeIntervalSince1970)
        return 86_400 - seconds % 86_400
    }
}
