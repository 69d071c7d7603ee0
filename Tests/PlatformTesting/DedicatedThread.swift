import Foundation

/// Runs blocking `work` (a libpq transaction that holds a lock for a while, say) on a thread
/// of its own, so it never parks one of the two threads of the shared blocking pool that every
/// other test's database calls need.
public func onDedicatedThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.name = "test-dedicated"
        thread.start()
    }
}
