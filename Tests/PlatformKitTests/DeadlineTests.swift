import NIOCore
import PlatformKit
import Testing

@Suite struct DeadlineTests {
    @Test func returnsTheResultInTime() async throws {
        let value = try await withDeadline(.seconds(1)) { 42 }
        #expect(value == 42)
    }

    @Test func failsAtTheDeadlineEvenIfTheWorkIgnoresCancellation() async throws {
        let start = ContinuousClock.now
        await #expect(throws: DeadlineExceeded.self) {
            try await withDeadline(.milliseconds(100)) {
                // Ignores cancellation on purpose, like a blocking call would.
                let until = ContinuousClock.now + .seconds(2)
                while ContinuousClock.now < until { try? await Task.sleep(for: .milliseconds(20)) }
                return 1
            }
        }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func passesErrorsThrough() async {
        await #expect(throws: ReadinessFailure.self) {
            try await withDeadline(.seconds(1)) { () async throws -> Int in throw ReadinessFailure("x") }
        }
    }
}
