import AIService
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformTesting
import ServiceWorlds
import Testing

/// An OpenAI-compatible provider on loopback for AI's tests: answers `POST /chat/completions`
/// after `FAKE_DELAY`, only with the bearer `test-key`.
struct FakeAIProviderDaemon: DaemonApplication {
    static let descriptor = DaemonDescriptor(
        name: "fakeai", publicPort: 0, managementPort: 0, databasePrefix: nil, redis: .none, callsServices: false, servesInternalRoutes: false,
        extraKeys: [ConfigKey("FAKE_DELAY", .duration, .defaulted("0s"), summary: "How long each answer waits")])

    let delay: Duration

    init(context: DaemonContext) async throws {
        delay = context.configuration.duration("FAKE_DELAY") ?? .zero
    }

    func addPublicRoutes(to router: Router<PlatformRequestContext>) {
        router.post("chat/completions") { [delay] request, _ -> Response in
            try await Task.sleep(for: delay)
            guard request.headers[.authorization] == "Bearer test-key" else { return Response(status: .unauthorized) }
            let body = #"{"model":"fake-1","choices":[{"message":{"role":"assistant","content":"FAKE SUMMARY"}}],"usage":{"prompt_tokens":7,"completion_tokens":3}}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }
}

extension BackendSuites {
    /// AI against real Core, Auth and PostgreSQL: the local provider, an OpenAI-compatible one on
    /// loopback, daily quotas (429 naming the quota) and an upstream timeout of AI's own.
    @Suite struct AITests {
        static func code(_ reply: TestResponse) -> String { "\(reply.status) \(reply.errorCode ?? "-")" }
        static let text = #"{"task":"summarize","text":"Tickets sell fast. The tour bus leaves in March. Tickets for Lisbon sell fastest of all."}"#

        @Test(.timeLimit(.minutes(2))) func theLocalProviderAnswersWithinTheDailyQuota() async throws {
            try await BackendWorld.with(AIDaemon.self, environment: ["AI_DAILY_REQUEST_QUOTA": "2"]) { world in
                let first = try await world.call("POST", "/v1/assist", as: "ada", body: Self.text)
                #expect(first.status == 200, "\(first.body)")
                let answer = try first.json()
                #expect(answer["provider"] as? String == "local")
                let again = try await world.call("POST", "/v1/assist", as: "ada", body: Self.text).json()
                #expect(again["output"] as? String == answer["output"] as? String)  // deterministic
                let refused = try await world.call("POST", "/v1/assist", as: "ada", body: Self.text)
                #expect(Self.code(refused) == "429 quota_exhausted")
                #expect(try refused.json().description.contains("daily request quota of 2"))
                #expect(Int(refused.header("retry-after") ?? "") ?? 0 > 0)
                // Quotas are per company: Beacon still has its own.
                #expect(try await Self.code(world.call("POST", "/v1/assist", as: "bo", org: "beacon", body: Self.text)) == "200 -")
                let usage = try await world.call("GET", "/v1/usage", as: "vic").json()
                #expect(usage["requests"] as? Int == 2 && usage["request_quota"] as? Int == 2)
                let records = try await world.call("GET", "/v1/usage/records", as: "ada").json()["items"] as? [[String: Any]]
                #expect(records?.map { $0["outcome"] as? String } == ["ok", "ok"])
                // Usage is the company's own: Beacon's records and counts hold only its one call.
                let beaconRecords = try await world.call("GET", "/v1/usage/records", as: "bo", org: "beacon").json()["items"] as? [[String: Any]]
                #expect(beaconRecords?.count == 1)
                #expect(try await world.call("GET", "/v1/usage", as: "bo", org: "beacon").json()["requests"] as? Int == 1)
                #expect(try await Self.code(world.call("POST", "/v1/assist", as: "ada", body: #"{"task":"poem","text":"x"}"#)) == "422 validation_failed")
            }
        }

        @Test(.timeLimit(.minutes(2))) func theTokenQuotaIsReservedAndNamed() async throws {
            try await BackendWorld.with(AIDaemon.self, environment: ["AI_DAILY_TOKEN_QUOTA": "40"]) { world in
                // The first call reserves its most (16 words in, 256 out) and then uses what it used.
                #expect(try await Self.code(world.call("POST", "/v1/assist", as: "ada", body: Self.text)) == "200 -")
                let used = try await world.call("GET", "/v1/usage", as: "ada").json()
                let tokens = try #require(used["tokens"] as? Int)
                #expect(tokens > 0 && tokens < 256, "the reservation is replaced by the tokens used: \(tokens)")
                #expect(try await Self.code(world.call("POST", "/v1/assist", as: "ada", body: Self.text)) == "200 -")
                let refused = try await world.call("POST", "/v1/assist", as: "ada", body: Self.text)
                #expect(Self.code(refused) == "429 quota_exhausted")
                #expect(refused.body.contains("daily token quota of 40"))
            }
        }

        /// While a provider call runs, the quota holds an upper bound of its tokens (the text's
        /// UTF-8 bytes, not its words: a byte-pair token covers at least one byte); once it
        /// ends, what the provider counted replaces it.
        @Test(.timeLimit(.minutes(2))) func aRemoteCallReservesAnUpperBoundOfItsTokens() async throws {
            let provider = try await Daemon.start(FakeAIProviderDaemon.self, environment: DaemonEnvironment.base(["FAKE_DELAY": "3s"]),
                                                  sink: MemoryLogSink())
            try await withStopping(provider) { provider in
                let environment = ["AI_PROVIDER": "openai", "AI_OPENAI_API_KEY": "test-key", "AI_UPSTREAM_TIMEOUT": "20s",
                                   "AI_OPENAI_BASE_URL": provider.publicURL!]
                try await BackendWorld.with(AIDaemon.self, environment: environment) { world in
                    let call = Task { try await world.call("POST", "/v1/assist", as: "ada", body: Self.text) }
                    var reserved = 0
                    let started = ContinuousClock.now
                    while reserved == 0, ContinuousClock.now - started < .seconds(10) {
                        reserved = try await world.call("GET", "/v1/usage", as: "ada").json()["tokens"] as? Int ?? 0
                        if reserved == 0 { try await Task.sleep(for: .milliseconds(50)) }
                    }
                    let text = "Tickets sell fast. The tour bus leaves in March. Tickets for Lisbon sell fastest of all."
                    // Words would reserve 16 + 256; the bound is at least the text's bytes + 256.
                    #expect(reserved >= text.utf8.count + 256, "reserved \(reserved)")
                    let reply = try await call.value
                    #expect(reply.status == 200, "\(reply.body)")
                    #expect(try await world.call("GET", "/v1/usage", as: "ada").json()["tokens"] as? Int == 10)
                }
            }
        }

        /// The served API document states the text limit AI was configured with.
        @Test(.timeLimit(.minutes(2))) func theDocumentStatesTheConfiguredTextLimit() async throws {
            try await BackendWorld.with(AIDaemon.self, environment: ["AI_MAX_INPUT_CHARACTERS": "500"]) { world in
                let document = try await TestHTTP.get(world.backend.managementURL + "/openapi.yaml")
                #expect(document.status == 200)
                #expect(document.body.contains("text: {type: string, minLength: 1, maxLength: 500}")
                        || document.body.contains("maxLength: 500"), "\(document.body)")
                #expect(!document.body.contains("maxLength: 20000"))
                let long = String(repeating: "word ", count: 120)
                let refused = try await world.call("POST", "/v1/assist", as: "ada", body: #"{"task":"summarize","text":"\#(long)"}"#)
                #expect(Self.code(refused) == "422 validation_failed")
            }
        }

        @Test(.timeLimit(.minutes(2))) func anOpenAICompatibleProviderAndItsOwnTimeout() async throws {
            let fast = try await Daemon.start(FakeAIProviderDaemon.self, environment: DaemonEnvironment.base(), sink: MemoryLogSink())
            let slow = try await Daemon.start(FakeAIProviderDaemon.self, environment: DaemonEnvironment.base(["FAKE_DELAY": "3s"]), sink: MemoryLogSink())
            try await withStopping(fast) { fast in
                try await withStopping(slow) { slow in
                    let provider = ["AI_PROVIDER": "openai", "AI_OPENAI_API_KEY": "test-key", "AI_UPSTREAM_TIMEOUT": "1s",
                                    "AI_COST_MICROS_PER_1K_TOKENS": "2000"]
                    try await BackendWorld.with(AIDaemon.self, environment: provider.merging(["AI_OPENAI_BASE_URL": fast.publicURL!]) { $1 }) { world in
                        let reply = try await world.call("POST", "/v1/assist", as: "ada", body: Self.text)
                        #expect(reply.status == 200, "\(reply.body)")
                        let answer = try reply.json()
                        #expect(answer["output"] as? String == "FAKE SUMMARY" && answer["model"] as? String == "fake-1")
                        #expect(answer["input_tokens"] as? Int == 7 && answer["output_tokens"] as? Int == 3 && answer["cost_micros"] as? Int == 20)
                    }
                    try await BackendWorld.with(AIDaemon.self, environment: provider.merging(["AI_OPENAI_BASE_URL": slow.publicURL!]) { $1 }) { world in
                        // The provider would answer after 3 s; AI's own 1 s limit answers first.
                        let reply = try await world.call("POST", "/v1/assist", as: "ada", body: Self.text)
                        #expect(Self.code(reply) == "504 upstream_timeout", "\(reply.body)")
                        // The failed call is recorded and does not count against the quota.
                        let usage = try await world.call("GET", "/v1/usage", as: "ada").json()
                        #expect(usage["requests"] as? Int == 0)
                        let records = try await world.call("GET", "/v1/usage/records", as: "ada").json()["items"] as? [[String: Any]]
                        #expect(records?.map { $0["outcome"] as? String } == ["upstream_timeout"])
                    }
                }
            }
        }
    }
}
