import Foundation
import PlatformDaemon
import PlatformTesting
import Testing

/// The API document in the repository, as served by the running Core, matches its routes,
/// and real responses match the documented schemas (checked with jsonschema).
@Suite struct OpenAPIConformanceTests {
    @Test func documentMatchesTheRunningService() async throws {
        try await CoreHarness.withSeeded { core in
            let company = UUID()
            var samples: [[String: Any]] = []
            func sample(_ method: String, _ template: String, _ path: String, as caller: String = "admin", body: String? = nil) async throws {
                let response = try await core.call(method, path, as: caller, body: body)
                samples.append(["method": method, "path": template, "status": response.status, "body": response.body])
            }
            let start = "2026-01-01T00:00:00Z"
            try await sample("PUT", "/internal/v1/companies/{company}/subscription", "/internal/v1/companies/\(company)/subscription",
                             body: #"{"package_key":"basic","status":"active","period_start":"\#(start)"}"#)
            try await sample("PUT", "/internal/v1/companies/{company}/addons/{addon}", "/internal/v1/companies/\(company)/addons/ai_addon",
                             body: #"{"status":"active","period_start":"\#(start)","period_end":"2027-01-01T00:00:00Z"}"#)
            try await sample("GET", "/internal/v1/catalog", "/internal/v1/catalog", as: "auth")
            try await sample("GET", "/internal/v1/catalog/modules", "/internal/v1/catalog/modules?limit=2", as: "auth")
            try await sample("GET", "/internal/v1/catalog/packages", "/internal/v1/catalog/packages", as: "admin")
            try await sample("GET", "/internal/v1/catalog/addons", "/internal/v1/catalog/addons?after=ai_addon", as: "auth")
            try await sample("GET", "/internal/v1/companies/{company}/entitlements", "/internal/v1/companies/\(company)/entitlements", as: "auth")
            try await sample("GET", "/internal/v1/companies/{company}/entitlement-version", "/internal/v1/companies/\(company)/entitlement-version", as: "auth")
            try await sample("GET", "/internal/v1/companies/{company}/subscription", "/internal/v1/companies/\(company)/subscription")
            try await sample("GET", "/internal/v1/companies/{company}/history", "/internal/v1/companies/\(company)/history?limit=1")
            try await sample("PUT", "/internal/v1/catalog/packages/{key}", "/internal/v1/catalog/packages/basic",
                             body: #"{"name":"Basic","modules":["core_app","market"],"expected_version":1}"#)
            try await sample("POST", "/internal/v1/catalog/modules", "/internal/v1/catalog/modules", body: #"{"key":"venue","name":"Venue"}"#)
            try await sample("PUT", "/internal/v1/catalog/modules/{key}", "/internal/v1/catalog/modules/venue", body: #"{"name":"Venues","expected_version":1}"#)
            try await sample("PUT", "/internal/v1/catalog/addons/{key}", "/internal/v1/catalog/addons/ai_addon", body: #"{"name":"AI","expected_version":7}"#)
            try await sample("POST", "/internal/v1/catalog/modules/{key}/retire", "/internal/v1/catalog/modules/venue/retire", body: #"{"expected_version":2}"#)
            try await sample("DELETE", "/internal/v1/companies/{company}/addons/{addon}", "/internal/v1/companies/\(company)/addons/ai_addon", body: "{}")
            try await sample("POST", "/internal/v1/companies/{company}/subscription/cancel", "/internal/v1/companies/\(company)/subscription/cancel", body: "{}")
            try await sample("POST", "/internal/v1/catalog/addons", "/internal/v1/catalog/addons", body: #"{"key":"x_addon","name":"x","module":"nope"}"#)
            #expect(samples.filter { ($0["status"] as? Int) == 200 }.count == 16)

            let served = try await TestHTTP.get(core.url + "/openapi.yaml")
            #expect(served.status == 200)
            let check = try await APIDocumentCheck.run(document: served.body, samples: samples)
            #expect(check.status == 0, "\(check.output)")

            let documented = check.documented.filter { $0.contains(" /internal/") }
            let routed = APIDocumentCheck.normalise(core.daemon.managementRoutes.filter { $0.contains(" /internal/") })
            #expect(documented == routed, "documented only: \(documented.subtracting(routed)); routed only: \(routed.subtracting(documented))")
            #expect(documented.count == 21)
        }
    }
}
