@testable import AIService
import BusinessBackend
import PlatformKit
import Testing

/// The backends' pure decisions: reservation lifecycles and the local provider's summaries.
struct BusinessLogicTests {
    @Test func reservationsMoveForwardOnly() throws {
        #expect(try StatusTransition.check(ReservationStatus.hold, to: .confirmed, "show") == .confirmed)
        #expect(try StatusTransition.check(ReservationStatus.confirmed, to: .canceled, "show") == .canceled)
        for (from, to) in [(ReservationStatus.confirmed, ReservationStatus.hold), (.canceled, .hold), (.canceled, .confirmed)] {
            let error = #expect(throws: PlatformError.self) { try StatusTransition.check(from, to: to, "show") }
            #expect(error?.code == StatusTransition.invalid)
        }
        #expect(throws: PlatformError.self) { try StatusTransition.parse("maybe", as: ReservationStatus.self) }
    }

    @Test func theLocalProviderExtractsTheCentralSentencesInOrder() async throws {
        let text = "Tickets sell fast. The weather was mild. Tickets for Lisbon sell fastest. Lisbon tickets went first.\nA bus leaves."
        let provider = LocalAssistProvider()
        let summary = try await provider.complete(AssistPrompt(task: .summarize, text: text, maxOutputTokens: 100))
        #expect(summary.output == "Tickets sell fast. Tickets for Lisbon sell fastest. Lisbon tickets went first.")
        #expect(summary.inputTokens == 19)
        let points = try await provider.complete(AssistPrompt(task: .keyPoints, text: text, maxOutputTokens: 100))
        #expect(points.output.split(separator: "\n").allSatisfy { $0.hasPrefix("- ") })
        let short = try await provider.complete(AssistPrompt(task: .summarize, text: text, maxOutputTokens: 2))
        #expect(short.output == "Tickets sell")
        #expect(LocalAssistProvider.sentences("One!  Two? three\n\nfour") == ["One!", "Two?", "three", "four"])
    }
}
