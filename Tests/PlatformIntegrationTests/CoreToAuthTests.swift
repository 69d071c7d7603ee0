import AuthService
import CoreService
import Foundation
import HTTPTypes
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PlatformTesting
import ServiceAuth
import Testing

/// The real Core delivers entitlement signals to the real Auth, both verifying each other's
/// service credentials as in production.
@Suite struct CoreToAuthTests {
    @Test func aSubscriptionChangeInCoreReachesAuth() async throws {
        let coreKey = ServiceKey(), authKey = ServiceKey(), adminKey = ServiceKey()
        let authDatabase = try await TestDatabase.create(migrations: AuthDaemon.migrations!)
        try await Daemon.with(AuthDaemon.self, environment: DaemonEnvironment.base([
            "AUTH_DB_URL": authDatabase.runtimeURL, "AUTH_KEY_ENCRYPTION_KEY": KeyEncryption.generateBase64(),
            "INTERNAL_SIGNING_KEY": authKey.privateBase64, "INTERNAL_TRUSTED_KEYS": "core=\(coreKey.publicBase64)",
            "PASSWORD_ARGON2_MEMORY_KIB": "8192", "PASSWORD_ARGON2_ITERATIONS": "1",
            "AUTH_CACHE_INTEGRITY_KEY": KeyEncryption.generateBase64(),
            "CORE_INTERNAL_URL": "http://127.0.0.1:\(TestEnvironment.freePort())",
        ]), sink: MemoryLogSink()) { auth in
            let coreDatabase = try await TestDatabase.create(migrations: CoreDaemon.migrations!)
            try await Daemon.with(CoreDaemon.self, environment: DaemonEnvironment.base([
                "CORE_DB_URL": coreDatabase.runtimeURL, "INTERNAL_SIGNING_KEY": coreKey.privateBase64,
                "INTERNAL_TRUSTED_KEYS": "admin=\(adminKey.publicBase64),auth=\(authKey.publicBase64)",
                "AUTH_INTERNAL_URL": auth.managementURL, "OUTBOX_POLL_INTERVAL": "100ms",
            ]), sink: MemoryLogSink()) { core in
                // Generous: a test of delivery, run while the whole suite starts at once.
                let admin = ServiceHTTPClient(callee: "core", baseURL: core.managementURL, timeout: .seconds(30),
                                              credentials: await ServiceCredentialSigner(service: "admin", key: adminKey))
                for (path, body) in [("/internal/v1/catalog/modules", ["key": "ai", "name": "AI"]),
                                     ("/internal/v1/catalog/addons", ["key": "ai_addon", "name": "AI", "module": "ai"])] {
                    #expect(try await admin.send(.post, path, json: body, headers: [("idempotency-key", UUID().uuidString)]).status == 200)
                }
                let company = UUID()
                let write = try await admin.send(.put, "/internal/v1/companies/\(company)/addons/ai_addon",
                                                 json: ["status": "active", "period_start": "2026-01-01T00:00:00Z"],
                                                 headers: [("idempotency-key", UUID().uuidString)])
                #expect(write.status == 200)
                #expect(try await eventually {
                    let rows = try await LibPQConnection.run {
                        try LibPQConnection(settings: authDatabase.admin).execute(
                            "SELECT version FROM company_entitlement_versions WHERE company_id = $1", parameters: [company.uuidString])
                    }
                    return rows.first?[0] == "1"
                })
            }
        }
    }
}
