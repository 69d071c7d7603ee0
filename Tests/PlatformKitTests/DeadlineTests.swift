import Foundation
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
                await Self.sleepIgnoringCancellation(seconds: 10)
                return 1
            }
        }
        // Not waited for: far less than the work's ten seconds, however loaded the machine.
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func aCancelledCallerIsNotHeldByWorkThatIgnoresCancellation() async throws {
        let start = ContinuousClock.now
        let caller = Task {
            try await abandoningOnCancellation {
                await Self.sleepIgnoringCancellation(seconds: 10)
                return 1
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(try await abandoningOnCancellation { 7 } == 7)
    }

    @Test func passesErrorsThrough() async {
        await #expect(throws: ReadinessFailure.self) {
            try await withDeadline(.seconds(1)) { () async throws -> Int in throw ReadinessFailure("x") }
        }
    }

    /// Waits without honouring cancellation and without holding a thread (a loop around a
    /// cancelled `Task.sleep` would spin on one of the pool's two threads).
    static func sleepIgnoringCancellation(seconds: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds)) { continuation.resume() }
        }
    }
}
