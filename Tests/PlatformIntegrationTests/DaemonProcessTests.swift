import CanaryService
import Foundation
import PlatformTesting
import ServiceAuth
import Testing

/// The real `kisum-canary` executable: configuration failures and SIGTERM.
@Suite struct DaemonProcessTests {
    func launch(_ environment: [String: String]) throws -> ChildProcess {
        try ChildProcess.spawn(TestEnvironment.binary("kisum-canary").path, [],
                               environment: environment.merging(["PATH": "/usr/bin:/bin"]) { current, _ in current })
    }

    @Test func invalidConfigurationNamesEveryBadVariableAndExits1() async throws {
        let process = try launch([
            "KISUM_ENV": "production", "CANARY_DB_URL": "mysql://nope", "REDIS_CONNECT_TIMEOUT": "fast",
            "KISUM_MANAGEMENT_LISTEN": "nowhere", "INTERNAL_TRUSTED_KEYS": "x",
        ])
        #expect(await process.exitStatus() == 1)
        let message = process.output
        for variable in ["CANARY_DB_URL", "REDIS_CONNECT_TIMEOUT", "KISUM_MANAGEMENT_LISTEN", "INTERNAL_SIGNING_KEY"] {
            #expect(message.contains(variable), "\(variable) not named in: \(message)")
        }
        #expect(!message.contains("mysql://nope"))  // secrets are not echoed
    }

    @Test func sigtermFinishesInFlightRequestsAndExits0() async throws {
        let database = try await TestDatabase.create(migrations: CanaryDaemon.migrations!)
        let publicPort = TestEnvironment.freePort(), managementPort = TestEnvironment.freePort()
        var environment = DaemonEnvironment.base([
            "CANARY_DB_URL": database.runtimeURL, "REDIS_URL": TestEnvironment.redisURL,
            "KISUM_PUBLIC_LISTEN": "127.0.0.1:\(publicPort)", "KISUM_MANAGEMENT_LISTEN": "127.0.0.1:\(managementPort)",
        ])
        environment.merge(DaemonEnvironment.serviceKeys()) { _, new in new }
        let process = try launch(environment)
        defer { process.signal(SIGKILL) }
        try await waitForPort(publicPort, open: true)

        async let slow = TestHTTP.get("http://127.0.0.1:\(publicPort)/v1/slow?ms=800")
        try await Task.sleep(for: .milliseconds(200))
        process.signal(SIGTERM)
        let response = try await slow
        #expect(response.status == 200)
        #expect(try response.json()["slept_ms"] as? Int == 800)

        #expect(await process.exitStatus() == 0)
        #expect(!portIsOpen(publicPort))
        let logs = process.output
        #expect(logs.contains("\"msg\":\"stopped\""))
        #expect(logs.split(separator: "\n").allSatisfy { $0.hasPrefix("{") })
    }
}
