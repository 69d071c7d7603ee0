/// What the assist route asks of a model: a task over supplied text.
struct AssistPrompt: Sendable, Equatable {
    let task: AssistTask
    let text: String
    /// Longest answer wanted, in tokens (the provider may stop earlier).
    let maxOutputTokens: Int
}

/// The tasks the assist route offers.
enum AssistTask: String, Sendable, CaseIterable {
    /// A short summary of the text.
    case summarize
    /// The text's key points, one per line.
    case keyPoints = "key_points"

    /// The instruction an instruction-following model gets.
    var instruction: String {
        switch self {
        case .summarize: "Summarize the user's text in a few sentences. Use only what the text says."
        case .keyPoints: "List the key points of the user's text, one per line, each starting with '- '. Use only what the text says."
        }
    }
}

/// A model's answer and what it cost in tokens.
struct AssistCompletion: Sendable, Equatable {
    let output: String
    let model: String
    let inputTokens: Int
    let outputTokens: Int
}

/// Where assist answers come from: the built-in `local` provider or an OpenAI-compatible API.
/// A provider throws `PlatformError` with `AIError.upstreamTimeout` or `.upstreamFailed`.
protocol AssistProvider: Sendable {
    /// The provider's name in usage records (`local`, `openai`).
    var name: String { get }
    func complete(_ prompt: AssistPrompt) async throws -> AssistCompletion
    /// The most tokens (input and output) `prompt` can cost as this provider counts them:
    /// what a call reserves of the daily quota until its real use replaces the reservation.
    func reservation(for prompt: AssistPrompt) -> Int
}
