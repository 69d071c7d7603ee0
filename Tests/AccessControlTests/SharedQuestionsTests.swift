@testable import AccessControl
import NIOConcurrencyHelpers
import PlatformKit
import PlatformTesting
import Testing

/// Identical questions to Auth in flight are asked once, and a shared answer is never staler
/// than the join bound.
@Suite struct SharedQuestionsTests {
    /// Counts asks; each ask waits until `release` is called.
    final class Asker: Sendable {
        let asks = NIOLockedValueBox(0)
        let gate = AsyncGate()

        func ask() async throws -> Int {
            let number = asks.withLockedValue { $0 += 1; return $0 }
            await gate.wait()
            return number
        }
    }

    @Test func aBurstOnOneKeyAsksOnce() async throws {
        let questions = SharedQuestions<String, Int, Int>(joinBound: .seconds(30))
        let asker = Asker()
        try await withDeadline(.seconds(10)) {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await questions.answer("session", generation: 1) { try await asker.ask() } } }
                // Another key is its own question.
                group.addTask { try await questions.answer("other", generation: 1) { try await asker.ask() } }
                while questions.inFlight < 2 { try await Task.sleep(for: .milliseconds(5)) }
                try await Task.sleep(for: .milliseconds(50))
                asker.gate.open()
                var answers: [Int] = []
                for try await answer in group { answers.append(answer) }
                #expect(answers.count == 21)
            }
        }
        #expect(asker.asks.withLockedValue { $0 } == 2)
        #expect(questions.inFlight == 0)
    }

    @Test func aJoinerAsksAgainWhenTheSharedAnswerCameBackTooLate() async throws {
        let questions = SharedQuestions<String, Int, Int>(joinBound: .milliseconds(100))
        let asker = Asker()
        let answers = try await withDeadline(.seconds(10)) {
            try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask { try await questions.answer("session", generation: 1) { try await asker.ask() } }
                while questions.inFlight < 1 { try await Task.sleep(for: .milliseconds(5)) }
                group.addTask { try await questions.answer("session", generation: 1) { try await asker.ask() } }
                while asker.asks.withLockedValue({ $0 }) < 1 { try await Task.sleep(for: .milliseconds(5)) }
                try await Task.sleep(for: .milliseconds(150))
                asker.gate.open()
                var answers: [Int] = []
                for try await answer in group { answers.append(answer) }
                return answers.sorted()
            }
        }
        // The leader takes its own answer; the joiner's came back 150 ms after sending, beyond
        // the 100 ms bound, so it asked afresh.
        #expect(answers == [1, 2])
    }

    /// A change applied after a question was sent (a feed event, this service's own write)
    /// starts a new generation: a request after it asks anew rather than joining.
    @Test func aQuestionFromBeforeAChangeIsNotJoined() async throws {
        let questions = SharedQuestions<String, Int, Int>(joinBound: .seconds(30))
        let asker = Asker()
        let answers = try await withDeadline(.seconds(10)) {
            try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask { try await questions.answer("session", generation: 1) { try await asker.ask() } }
                while asker.asks.withLockedValue({ $0 }) < 1 { try await Task.sleep(for: .milliseconds(5)) }
                group.addTask { try await questions.answer("session", generation: 2) { try await asker.ask() } }
                while asker.asks.withLockedValue({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(5)) }
                asker.gate.open()
                var answers: [Int] = []
                for try await answer in group { answers.append(answer) }
                return answers.sorted()
            }
        }
        #expect(answers == [1, 2])
        #expect(questions.inFlight == 0)
    }

    @Test func aFailureReachesEveryJoiner() async throws {
        struct AuthDown: Error {}
        let questions = SharedQuestions<String, Int, Int>(joinBound: .seconds(30))
        let gate = AsyncGate()
        let failures = try await withDeadline(.seconds(10)) {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        do { _ = try await questions.answer("session", generation: 1) { await gate.wait(); throw AuthDown() } } catch is AuthDown { return true }
                        return false
                    }
                }
                while questions.inFlight < 1 { try await Task.sleep(for: .milliseconds(5)) }
                try await Task.sleep(for: .milliseconds(50))
                gate.open()
                var failures = 0
                for try await failed in group where failed { failures += 1 }
                return failures
            }
        }
        #expect(failures == 5)
    }
}
