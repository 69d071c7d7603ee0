import Logging
import PlatformKit

/// AI's own settings, parsed once at start.
struct AISettings: Sendable {
    enum Provider: String, Sendable {
        case local, openai
    }

    let provider: Provider
    let openAIBaseURL: String?
    let openAIKey: String?
    let openAIModel: String
    /// How long one provider call may take: AI's own limit, longer than other services' calls.
    let upstreamTimeout: Duration
    let dailyRequestQuota: Int
    let dailyTokenQuota: Int
    /// Cost recorded per 1000 tokens (input and output), in millionths of the billing currency.
    let costMicrosPer1kTokens: Int
    /// Most characters of text one assist request may carry.
    let maxInputCharacters: Int
    /// Connections AI's own provider client may open (concurrent provider calls).
    let upstreamConnections: Int

    static let keys: [ConfigKey] = [
        ConfigKey("AI_PROVIDER", .choice(["local", "openai"]), .localDefault("local"),
                  summary: "Where answers come from: `local` (built in, no network, extractive) or `openai` (an OpenAI-compatible API)"),
        ConfigKey("AI_OPENAI_BASE_URL", .url(schemes: ["http", "https"]), .optional,
                  summary: "The OpenAI-compatible API's base URL, e.g. https://api.openai.com/v1 (with AI_PROVIDER=openai)"),
        ConfigKey("AI_OPENAI_API_KEY", .string, .optional, secret: true, summary: "The API key sent as a bearer token (from the secret store)"),
        ConfigKey("AI_OPENAI_MODEL", .string, .defaulted("gpt-4o-mini"), summary: "The model asked for"),
        ConfigKey("AI_UPSTREAM_TIMEOUT", .duration, .defaulted("60s"),
                  summary: "Longest one provider call may take (longer than other services' calls; the client's own timeout must exceed it)"),
        ConfigKey("AI_DAILY_REQUEST_QUOTA", .integer(1...10_000_000), .defaulted("500"), summary: "Assist requests per company per UTC day"),
        ConfigKey("AI_DAILY_TOKEN_QUOTA", .integer(1...1_000_000_000), .defaulted("500000"),
                  summary: "Tokens (input and output) per company per UTC day; the request that crosses it completes, the next is refused"),
        ConfigKey("AI_COST_MICROS_PER_1K_TOKENS", .integer(0...100_000_000), .defaulted("0"),
                  summary: "Cost recorded per 1000 tokens, in millionths of the billing currency"),
        ConfigKey("AI_MAX_INPUT_CHARACTERS", .integer(1...1_000_000), .defaulted("20000"), summary: "Most characters of text one request may carry"),
        ConfigKey("AI_UPSTREAM_CONNECTIONS", .integer(1...1000), .defaulted("32"),
                  summary: "Connections AI's own client keeps to the provider (concurrent calls beyond it wait, within AI_UPSTREAM_TIMEOUT)"),
    ]

    init(_ configuration: Configuration, service: String) throws {
        guard let provider = configuration.string("AI_PROVIDER").flatMap(Provider.init(rawValue:)) else {
            throw ConfigError(service: service, problems: [.init(variable: "AI_PROVIDER", reason: "must be local or openai")])
        }
        self.provider = provider
        openAIBaseURL = configuration.string("AI_OPENAI_BASE_URL")
        openAIKey = configuration.string("AI_OPENAI_API_KEY")
        openAIModel = configuration.string("AI_OPENAI_MODEL") ?? "gpt-4o-mini"
        upstreamTimeout = configuration.duration("AI_UPSTREAM_TIMEOUT") ?? .seconds(60)
        dailyRequestQuota = configuration.integer("AI_DAILY_REQUEST_QUOTA") ?? 500
        dailyTokenQuota = configuration.integer("AI_DAILY_TOKEN_QUOTA") ?? 500_000
        costMicrosPer1kTokens = configuration.integer("AI_COST_MICROS_PER_1K_TOKENS") ?? 0
        maxInputCharacters = configuration.integer("AI_MAX_INPUT_CHARACTERS") ?? 20_000
        upstreamConnections = configuration.integer("AI_UPSTREAM_CONNECTIONS") ?? 32
        if provider == .openai, openAIBaseURL == nil {
            throw ConfigError(service: service, problems: [.init(variable: "AI_OPENAI_BASE_URL", reason: "AI_PROVIDER=openai needs the API's base URL")])
        }
        if provider == .openai, openAIKey == nil, configuration.environment != .local {
            throw ConfigError(service: service, problems: [.init(variable: "AI_OPENAI_API_KEY", reason: "AI_PROVIDER=openai needs the API key outside local")])
        }
    }

    /// The provider these settings name, and the client it owns (run it as a background
    /// service: it closes at shutdown).
    func makeProvider(logger: Logger) -> (provider: any AssistProvider, client: ProviderHTTPClient?) {
        switch provider {
        case .local:
            return (LocalAssistProvider(), nil)
        case .openai:
            let client = ProviderHTTPClient(connections: upstreamConnections)
            return (OpenAICompatibleProvider(baseURL: openAIBaseURL ?? "", apiKey: openAIKey, model: openAIModel, timeout: upstreamTimeout,
                                             logger: logger, client: client), client)
        }
    }
}
