import AuthService
import Testing

@Suite struct PasswordHasherTests {
    // Small costs keep the unit tests quick; production uses the OWASP defaults.
    let hasher = PasswordHasher(parameters: .init(memoryKiB: 8192, iterations: 1))

    @Test func verifiesTheRightPasswordOnly() async throws {
        let hash = try await hasher.hash("correct horse battery staple")
        #expect(hash.hasPrefix("$argon2id$v=19$m=8192,t=1,p=1$"))
        #expect(try await hasher.verify("correct horse battery staple", against: hash))
        #expect(try await !hasher.verify("correct horse battery stapl", against: hash))
        #expect(try await !hasher.verify("x", against: "not a hash"))
        #expect(try await hasher.hash("same") != hasher.hash("same"))  // fresh salt each time
    }

    @Test func defaultsAreOWASPAndChangedParametersAskForARehash() async throws {
        #expect(PasswordHasher.Parameters() == .init(memoryKiB: 19_456, iterations: 2, parallelism: 1))
        let old = try await hasher.hash("pw")
        #expect(!hasher.needsRehash(old))
        #expect(PasswordHasher(parameters: .init(memoryKiB: 8192, iterations: 2)).needsRehash(old))
    }

    @Test func aFloodIsRefusedInsteadOfQueuedWithoutBound() async throws {
        let tight = PasswordHasher(parameters: .init(memoryKiB: 65_536, iterations: 3), threads: 1, maxQueued: 1)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { (try? await tight.hash("pw")) != nil } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.contains(true))
        #expect(outcomes.contains(false))
        let error = await #expect(throws: PlatformError.self) {
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 { group.addTask { try await tight.hash("pw") } }
                for try await _ in group {}
            }
        }
        #expect(error?.code == PasswordHasher.busy)
    }
}

import PlatformKit
