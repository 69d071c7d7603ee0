import PlatformDaemon
import PlatformKit
import PlatformTesting
import Testing

@Suite struct ListenerTests {
    @Test func aDaemonWithoutAPublicPortHasOnlyItsManagementListener() async throws {
        try await Daemon.with(InternalOnlyDaemon.self, environment: DaemonEnvironment.base(), sink: MemoryLogSink()) { daemon in
            #expect(daemon.publicPort == nil)
            #expect(try await TestHTTP.get(daemon.managementURL + "/health").status == 200)
            let ready = try await TestHTTP.get(daemon.managementURL + "/ready")
            #expect(ready.status == 200)
            #expect((try ready.json()["checks"] as? [Any])?.isEmpty == true)
            // The spec keys exclude a public listener entirely.
            #expect(!InternalOnlyDaemon.descriptor.configSpec.keys.contains { $0.name == "KISUM_PUBLIC_LISTEN" })
        }
    }

    @Test func configurationProblemsStopAnInProcessStartToo() async throws {
        let error = await #expect(throws: ConfigError.self) {
            _ = try await Daemon.start(ProbeDaemon.self, environment: DaemonEnvironment.base([
                "PROBE_DB_URL": "postgres://u@h/d?sslmode=bogus", "REDIS_URL": "redis://h:1/notanumber",
            ]), sink: MemoryLogSink())
        }
        #expect(Set(error?.problems.map(\.variable) ?? []) == ["PROBE_DB_URL", "REDIS_URL"])
    }
}
