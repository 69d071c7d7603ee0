import CArgon2
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import NIOPosix
import PlatformKit

/// Argon2id password hashing (libargon2) on a bounded pool of its own threads, off the event
/// loops and the concurrency pool. Work beyond `maxQueued` waiting hashes is refused at once
/// (`password_hashing_busy`) instead of queueing without bound: a login flood costs a
/// rejection, not memory or latency for every other request.
public final class PasswordHasher: Sendable {
    /// Argon2id cost parameters (OWASP: m = 19 MiB, t = 2, p = 1).
    public struct Parameters: Sendable, Equatable {
        public var memoryKiB: UInt32
        public var iterations: UInt32
        public var parallelism: UInt32

        public init(memoryKiB: UInt32 = 19_456, iterations: UInt32 = 2, parallelism: UInt32 = 1) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
        }

        /// The `$argon2id$v=19$m=…,t=…,p=…$` prefix hashes with these parameters start with.
        var encodedPrefix: String { "$argon2id$v=19$m=\(memoryKiB),t=\(iterations),p=\(parallelism)$" }
    }

    public let parameters: Parameters
    private let pool: NIOThreadPool
    private let slots: PermitCounter

    /// Longest a hash may wait in the queue before it is refused instead of run.
    public let maxQueueWait: Duration

    public init(parameters: Parameters = Parameters(), threads: Int = 2, maxQueued: Int = 64,
                maxQueueWait: Duration = .seconds(3)) {
        self.parameters = parameters
        self.maxQueueWait = maxQueueWait
        self.pool = NIOThreadPool(numberOfThreads: max(1, threads))
        self.pool.start()
        self.slots = PermitCounter(limit: max(1, threads) + max(0, maxQueued))
    }

    deinit { pool.shutdownGracefully { _ in } }

    public static let busy = PlatformError.Code("password_hashing_busy", .serviceUnavailable)

    /// An encoded Argon2id hash of `password` with a fresh random salt.
    public func hash(_ password: String) async throws -> String {
        let parameters = self.parameters
        return try await run { try Self.hashNow(password, parameters: parameters) }
    }

    /// Whether `password` matches `encoded`. Malformed hashes never match.
    public func verify(_ password: String, against encoded: String) async throws -> Bool {
        try await run {
            let bytes = Array(password.utf8)
            return argon2id_verify(encoded, bytes, bytes.count) == ARGON2_OK.rawValue
        }
    }

    /// Whether `encoded` was made with other parameters (so it should be re-hashed on the
    /// next successful login).
    public func needsRehash(_ encoded: String) -> Bool { !encoded.hasPrefix(parameters.encodedPrefix) }

    /// Admission never waits (a full queue refuses at once); a job that still waited in the
    /// queue past `maxQueueWait` (the machine is overloaded) is refused when its turn comes, and
    /// so is one whose caller was cancelled meanwhile: nobody waits for it, so it is not run.
    private func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        guard slots.tryAcquire() else { throw PlatformError(Self.busy, "Too many sign-ins at once; retry shortly.") }
        defer { slots.release() }
        let enqueued = ContinuousClock.now
        let maxQueueWait = self.maxQueueWait
        let abandoned = NIOLockedValueBox(false)
        return try await withTaskCancellationHandler {
            try await pool.runIfActive {
                if abandoned.withLockedValue({ $0 }) { throw CancellationError() }
                guard ContinuousClock.now - enqueued <= maxQueueWait else {
                    throw PlatformError(Self.busy, "Too many sign-ins at once; retry shortly.")
                }
                return try work()
            }
        } onCancel: {
            abandoned.withLockedValue { $0 = true }
        }
    }

    static func hashNow(_ password: String, parameters: Parameters) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = UInt8.random(in: 0...255, using: &generator) }
        let hashLength = 32
        let length = argon2_encodedlen(parameters.iterations, parameters.memoryKiB, parameters.parallelism,
                                       UInt32(salt.count), UInt32(hashLength), Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let bytes = Array(password.utf8)
        let status = argon2id_hash_encoded(parameters.iterations, parameters.memoryKiB, parameters.parallelism,
                                           bytes, bytes.count, salt, salt.count, hashLength, &encoded, length)
        guard status == ARGON2_OK.rawValue else {
            throw PlatformError(.internalError, "password hashing failed")
        }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Permits without waiting: `tryAcquire` fails when all are taken.
final class PermitCounter: Sendable {
    private let available: NIOLockedValueBox<Int>

    init(limit: Int) { available = NIOLockedValueBox(limit) }

    func tryAcquire() -> Bool {
        available.withLockedValue { count in
            guard count > 0 else { return false }
            count -= 1
            return true
        }
    }

    func release() { available.withLockedValue { $0 += 1 } }
}
