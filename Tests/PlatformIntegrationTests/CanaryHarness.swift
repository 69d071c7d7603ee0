import CanaryService
import Foundation
import PlatformDaemon
import PlatformKit
import PlatformTesting
import ServiceAuth

/// A canary daemon in this process on its own database and the shared test Redis.
struct CanaryHarness: Sendable {
    let daemon: RunningDaemon
    let database: TestDatabase
    let logs: MemoryLogSink
    let key: ServiceKey

    static func start(_ extra: [String: String] = [:], key: ServiceKey = ServiceKey(),
                      trusting others: [String: ServiceKey] = [:]) async throws -> CanaryHarness {
        let database = try await TestDatabase.create(migrations: CanaryDaemon.migrations!)
        var environment = DaemonEnvironment.base([
            "CANARY_DB_URL": database.runtimeURL, "REDIS_URL": TestEnvironment.redisURL,
        ])
        environment.merge(DaemonEnvironment.serviceKeys(signing: key, trusting: others)) { _, new in new }
        environment.merge(extra) { _, new in new }
        let logs = MemoryLogSink()
        let daemon = try await Daemon.start(CanaryDaemon.self, environment: environment, sink: logs)
        return CanaryHarness(daemon: daemon, database: database, logs: logs, key: key)
    }

    /// Starts one as `start` does, runs `body` with it, then stops it and waits, even when `body` throws.
    @discardableResult
    static func with<Value>(_ extra: [String: String] = [:], key: ServiceKey = ServiceKey(), trusting others: [String: ServiceKey] = [:],
                            _ body: (CanaryHarness) async throws -> Value) async throws -> Value {
        let canary = try await start(extra, key: key, trusting: others)
        return try await withStopping(canary, stop: { try await $0.stop() }, body)
    }

    var publicURL: String { daemon.publicURL! }
    var managementURL: String { daemon.managementURL }

    func stop() async throws { try await daemon.shutdown() }
}
