import AuthService
import Foundation
import PlatformPostgres
import PlatformTesting
import Testing
import ServiceWorlds

@Suite struct EntitlementSignalTests {
    func storedVersion(_ auth: AuthHarness, _ company: UUID) async throws -> String? {
        try await LibPQConnection.run { [database = auth.database] in
            try LibPQConnection(settings: database.admin).execute(
                "SELECT version FROM company_entitlement_versions WHERE company_id = $1", parameters: [company.uuidString])
        }.first?[0] ?? nil
    }

    @Test func keepsTheHighestVersionAndOnlyCoreMaySignal() async throws {
        try await AuthHarness.with { auth in
            let company = UUID()
            for version in [3, 5, 4, 5] {
                let response = try await auth.call("POST", "/internal/v1/entitlements/invalidated", as: "core",
                                                   body: #"{"company_id":"\#(company)","entitlement_version":\#(version)}"#)
                #expect(response.status == 200)
            }
            #expect(try await storedVersion(auth, company) == "5")
            let fromAdmin = try await auth.call("POST", "/internal/v1/entitlements/invalidated", as: "admin",
                                                body: #"{"company_id":"\#(company)","entitlement_version":9}"#)
            #expect(fromAdmin.status == 403)
            #expect(try await storedVersion(auth, company) == "5")
            let bad = try await auth.call("POST", "/internal/v1/entitlements/invalidated", as: "core", body: #"{"company_id":"nope"}"#)
            #expect(bad.status == 400)
        }
    }
}
