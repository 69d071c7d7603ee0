import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import Logging
import PlatformKit

/// `POST /v1/assist` (a task over supplied text, within the company's daily quotas) and the
/// company's usage: `GET /v1/usage` (today against the quotas) and `GET /v1/usage/records`.
struct AssistRoutes: Sendable {
    let provider: any AssistProvider
    let usage: UsageRepository
    let settings: AISettings
    let metrics: AIMetrics

    func add(to routes: EnforcedRoutes) {
        routes.requires(AIPermissions.assistUse)
            .post("assist") { request, context in
                let input = try await request.decodeJSON(as: AssistInput.self, context: context)
                return try await assist(try AssistPrompt(input, maxCharacters: settings.maxInputCharacters), scope: try context.company())
            }
        routes.requires(AIPermissions.usageRead)
            .get("usage") { _, context in
                let today = try await usage.today(try context.company())
                return UsageToday(day: today.day, requests: today.requests, requestQuota: settings.dailyRequestQuota, tokens: today.tokens,
                                  tokenQuota: settings.dailyTokenQuota, costMicros: today.costMicros)
            }
            .get("usage/records") { request, context in
                try await usage.records(try context.company(), try PageRequest(request))
            }
    }

    /// Claims quota, asks the provider, and records the call whatever its outcome (also when
    /// the request is cancelled meanwhile: the record and the refund run on their own).
    func assist(_ prompt: AssistPrompt, scope: CompanyScope) async throws -> AssistAnswer {
        // Reserved: the most this call can use, as the provider counts tokens.
        let reserve = provider.reservation(for: prompt)
        let claim: UsageRepository.Claim
        do {
            claim = try await usage.claim(scope, quotas: .init(requests: settings.dailyRequestQuota, tokens: settings.dailyTokenQuota),
                                          tokens: reserve)
        } catch let error as PlatformError where error.code == AIError.quotaExhausted {
            metrics.refusedByQuota()
            throw error
        }
        let started = ContinuousClock.now
        let outcome: Result<AssistCompletion, any Error>
        do { outcome = .success(try await provider.complete(prompt)) } catch { outcome = .failure(error) }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let record: UsageRecord
        switch outcome {
        case .success(let completion):
            let tokens = Int64(completion.inputTokens + completion.outputTokens)
            record = UsageRecord(id: UUID(), task: prompt.task.rawValue, provider: provider.name, model: completion.model,
                                 inputTokens: completion.inputTokens, outputTokens: completion.outputTokens,
                                 costMicros: tokens * Int64(settings.costMicrosPer1kTokens) / 1000, outcome: "ok",
                                 durationMilliseconds: milliseconds)
        case .failure(let error):
            let code = (error as? PlatformError)?.code ?? AIError.upstreamFailed
            record = UsageRecord(id: UUID(), task: prompt.task.rawValue, provider: provider.name, model: "-", inputTokens: 0,
                                 outputTokens: 0, costMicros: 0, outcome: code == AIError.upstreamTimeout ? "upstream_timeout" : "upstream_failed",
                                 durationMilliseconds: milliseconds)
        }
        metrics.record(provider: provider.name, outcome: record.outcome, elapsed: elapsed)
        await settle(scope, claim: claim, record: record)
        switch outcome {
        case .success(let completion):
            return AssistAnswer(id: record.id, task: prompt.task.rawValue, output: completion.output, provider: provider.name,
                                model: completion.model, inputTokens: completion.inputTokens, outputTokens: completion.outputTokens,
                                costMicros: record.costMicros)
        case .failure(let error):
            throw error is PlatformError ? error : PlatformError(AIError.upstreamFailed, "The AI provider failed.")
        }
    }

    /// Records the call and settles its claim, on a task of its own (a client going away does
    /// not cancel it), trying three times; a call whose record cannot be written is logged with
    /// everything the record held and its answer still returned (the claim then stays charged
    /// for the day: the quota errs towards refusing).
    func settle(_ scope: CompanyScope, claim: UsageRepository.Claim, record: UsageRecord) async {
        let settled = await Task { [usage] in
            for attempt in 1...3 {
                do {
                    try await usage.settle(scope, claim: claim, record: record)
                    return true
                } catch {
                    if attempt < 3 { try? await Task.sleep(for: .milliseconds(100 * attempt)) }
                }
            }
            return false
        }.value
        if !settled {
            usage.logger.error("assist usage not recorded", metadata: [
                "company_id": .string(scope.companyID.lowercased), "record_id": .string(record.id.lowercased), "day": .string(claim.day),
                "provider": .string(record.provider), "model": .string(record.model), "outcome": .string(record.outcome),
                "input_tokens": .stringConvertible(record.inputTokens), "output_tokens": .stringConvertible(record.outputTokens),
                "cost_micros": .stringConvertible(record.costMicros),
            ])
        }
    }
}

/// What a client sends: a task and the text it is about.
struct AssistInput: Decodable, Sendable {
    let task: String
    let text: String
    let maxOutputTokens: Int?

    enum CodingKeys: String, CodingKey {
        case task, text
        case maxOutputTokens = "max_output_tokens"
    }
}

extension AssistPrompt {
    init(_ input: AssistInput, maxCharacters: Int) throws {
        guard let task = AssistTask(rawValue: input.task) else {
            throw PlatformError(.validationFailed, "task must be one of \(AssistTask.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let text = try InputRules.text(input.text, "text", length: 1...maxCharacters)
        let maxOutput = input.maxOutputTokens ?? 256
        guard (1...4096).contains(maxOutput) else { throw PlatformError(.validationFailed, "max_output_tokens must be from 1 to 4096") }
        self.init(task: task, text: text, maxOutputTokens: maxOutput)
    }
}

/// The assist route's answer.
struct AssistAnswer: Codable, Sendable, ResponseEncodable {
    let id: UUID
    let task: String
    let output: String
    let provider: String
    let model: String
    let inputTokens: Int
    let outputTokens: Int
    let costMicros: Int64

    enum CodingKeys: String, CodingKey {
        case id, task, output, provider, model
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case costMicros = "cost_micros"
    }
}
