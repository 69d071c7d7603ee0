import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import PlatformKit

/// An OpenAI-compatible chat-completions API (`POST {base}/chat/completions`): OpenAI itself,
/// or any server that speaks its protocol. Bounded by `timeout` from the first byte sent to the
/// last read — AI's own upstream limit, longer than any other service's.
struct OpenAICompatibleProvider: AssistProvider {
    let baseURL: String
    let apiKey: String?
    let model: String
    let timeout: Duration
    let logger: Logger
    let client: ProviderHTTPClient

    var name: String { "openai" }

    /// An upper bound, not an estimate: a byte-pair token covers at least one byte, so the
    /// UTF-8 bytes of both messages (plus the chat format's few tokens per message) bound the
    /// input whatever the language; words would undercount (often by half, or more for text
    /// without spaces) and let concurrent calls pass the quota by far more than one call.
    func reservation(for prompt: AssistPrompt) -> Int {
        prompt.task.instruction.utf8.count + prompt.text.utf8.count + Self.chatFormatTokens + prompt.maxOutputTokens
    }

    /// Tokens the chat format adds around two messages and the reply (OpenAI counts 3–4 each).
    static let chatFormatTokens = 16

    func complete(_ prompt: AssistPrompt) async throws -> AssistCompletion {
        var request = HTTPClientRequest(url: baseURL.trimmingSuffix("/") + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        if let apiKey { request.headers.add(name: "authorization", value: "Bearer \(apiKey)") }
        let body = ChatRequest(model: model, messages: [.init(role: "system", content: prompt.task.instruction),
                                                        .init(role: "user", content: prompt.text)],
                               maxTokens: prompt.maxOutputTokens)
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        let head: HTTPClientResponse, bytes: ByteBuffer
        do {
            (head, bytes) = try await client.client.exchange(request, timeout: timeout, maxBytes: 4 << 20)
        } catch let error where Self.isTimeout(error) {
            logger.warning("assist provider timed out", metadata: ["provider": "openai", "timeout": "\(timeout)"])
            throw PlatformError(AIError.upstreamTimeout, "The AI provider did not answer within \(timeout); try again or send less text.")
        } catch {
            logger.warning("assist provider unreachable", metadata: ["provider": "openai", "error_detail": "\(error)"])
            throw PlatformError(AIError.upstreamFailed, "The AI provider could not be reached.")
        }
        guard head.status == .ok else {
            logger.warning("assist provider refused", metadata: ["provider": "openai", "status": "\(head.status.code)"])
            throw PlatformError(AIError.upstreamFailed, "The AI provider answered \(head.status.code).")
        }
        guard let reply = try? JSONDecoder().decode(ChatResponse.self, from: Data(buffer: bytes)),
              let output = reply.choices.first?.message.content else {
            logger.warning("assist provider answered something that is not a completion", metadata: ["provider": "openai"])
            throw PlatformError(AIError.upstreamFailed, "The AI provider's answer was not a completion.")
        }
        // The provider's counts are its word: bounded, so no sum or cost can overflow.
        let bounded = { (count: Int?) in min(max(count ?? 0, 0), 10_000_000) }
        return AssistCompletion(output: output, model: String((reply.model ?? model).prefix(200)), inputTokens: bounded(reply.usage?.promptTokens),
                                outputTokens: bounded(reply.usage?.completionTokens))
    }

    static func isTimeout(_ error: any Error) -> Bool {
        if error is DeadlineExceeded { return true }
        guard let error = error as? HTTPClientError else { return false }
        return error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
    }

    struct ChatRequest: Encodable {
        struct Message: Encodable {
            let role: String
            let content: String
        }
        let model: String
        let messages: [Message]
        let maxTokens: Int
        enum CodingKeys: String, CodingKey {
            case model, messages
            case maxTokens = "max_tokens"
        }
    }

    struct ChatResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { let content: String? }
            let message: Message
        }
        struct Usage: Decodable {
            let promptTokens: Int?
            let completionTokens: Int?
            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
            }
        }
        let model: String?
        let choices: [Choice]
        let usage: Usage?
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
