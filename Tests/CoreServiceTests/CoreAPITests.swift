import Foundation
import PlatformDaemon
import PlatformKit
import PlatformTesting
import Testing

/// Core against real PostgreSQL: the spec's entitlement rules through the internal API.
@Suite struct CoreAPITests {
    static let start = "2026-01-01T00:00:00Z"

    /// A seeded Core for `body`, stopped afterwards.
    @discardableResult
    func seeded<Value>(_ body: (CoreHarness) async throws -> Value) async throws -> Value { try await CoreHarness.withSeeded(body) }

    func entitlements(_ core: CoreHarness, _ company: UUID, as caller: String = "auth") async throws -> [String: Any] {
        let response = try await core.call("GET", "/internal/v1/companies/\(company)/entitlements", as: caller)
        #expect(response.status == 200, "\(response.body)")
        return try response.json()
    }

    func modules(_ json: [String: Any]) -> Set<String> {
        Set((json["modules"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String })
    }

    @Test func basicGrantsCoreAppAndAddonsWorkWithoutBasic() async throws {
        try await seeded { core in
            let withBasic = UUID(), addonsOnly = UUID()

            let set = try await core.call("PUT", "/internal/v1/companies/\(withBasic)/subscription",
                                          body: #"{"package_key":"basic","status":"active","period_start":"\#(Self.start)"}"#)
            #expect(set.status == 200)
            #expect(try set.json()["entitlement_version"] as? Int == 1)
            _ = try await core.call("PUT", "/internal/v1/companies/\(withBasic)/addons/finance_addon", body: #"{"status":"active","period_start":"\#(Self.start)"}"#)
            let first = try await entitlements(core, withBasic)
            #expect(modules(first) == ["core_app", "finance"])
            #expect(first["core_app_visible"] as? Bool == true)
            #expect(first["entitlement_version"] as? Int == 2)

            _ = try await core.call("PUT", "/internal/v1/companies/\(addonsOnly)/addons/market_addon", body: #"{"status":"trialing","period_start":"\#(Self.start)"}"#)
            let second = try await entitlements(core, addonsOnly)
            #expect(modules(second) == ["market"])
            #expect(second["core_app_visible"] as? Bool == false)

            // Cancel Basic: Core App disappears, the add-on stays; the version moves on.
            let cancel = try await core.call("POST", "/internal/v1/companies/\(withBasic)/subscription/cancel", body: #"{"reason":"test"}"#)
            #expect(cancel.status == 200)
            let canceled = try await entitlements(core, withBasic)
            #expect(modules(canceled) == ["finance"])
            #expect(canceled["core_app_visible"] as? Bool == false)
            #expect(canceled["entitlement_version"] as? Int == 3)

            let version = try await core.call("GET", "/internal/v1/companies/\(withBasic)/entitlement-version", as: "auth")
            #expect(try version.json()["entitlement_version"] as? Int == 3)

            let history = try await core.call("GET", "/internal/v1/companies/\(withBasic)/history?limit=2", as: "admin")
            let page = try history.json()
            let entries = try #require(page["entries"] as? [[String: Any]])
            #expect(entries.map { $0["change"] as? String } == ["subscription_canceled", "addon_set"])
            #expect(entries.allSatisfy { ($0["actor"] as? String) == "admin" && $0["request_id"] != nil })
            let cursor = try #require(page["next_cursor"] as? Int)
            let rest = try await core.call("GET", "/internal/v1/companies/\(withBasic)/history?limit=2&before=\(cursor)", as: "admin")
            #expect((try rest.json()["entries"] as? [[String: Any]])?.map { $0["change"] as? String } == ["subscription_set"])
        }
    }

    @Test func expiredPeriodsGrantNothingWhateverTheStatus() async throws {
        try await seeded { core in
            let company = UUID()
            _ = try await core.call("PUT", "/internal/v1/companies/\(company)/subscription",
                                    body: #"{"package_key":"basic","status":"active","period_start":"2025-01-01T00:00:00Z","period_end":"2025-12-31T00:00:00Z"}"#)
            _ = try await core.call("PUT", "/internal/v1/companies/\(company)/addons/ai_addon",
                                    body: #"{"status":"active","period_start":"2099-01-01T00:00:00Z"}"#)
            let result = try await entitlements(core, company)
            #expect(modules(result).isEmpty)
            #expect(result["valid_until"] as? String == "2099-01-01T00:00:00Z")
        }
    }

    @Test func aPeriodEndingBumpsTheVersionWithoutAnyWrite() async throws {
        try await seeded { core in
            let formatter = ISO8601DateFormatter()
            // The period must still be running when it is first read: on a loaded machine the
            // write and the read can take longer than any fixed margin (a CI run once took over
            // 8 s), so a read that came back after the end tries again with a longer period.
            var attempt: (company: UUID, end: String, before: [String: Any])?
            for window in [8.0, 20.0, 45.0] {
                let company = UUID()
                let endDate = Date().addingTimeInterval(window)
                let end = formatter.string(from: endDate)
                _ = try await core.call("PUT", "/internal/v1/companies/\(company)/addons/ai_addon",
                                        body: #"{"status":"active","period_start":"\#(Self.start)","period_end":"\#(end)"}"#)
                let before = try await entitlements(core, company)
                if Date() < endDate.addingTimeInterval(-1) {
                    attempt = (company, end, before)
                    break
                }
            }
            let (company, end, before) = try #require(attempt, "the machine never read an entitlement within 45 s of writing it")
            #expect(modules(before) == ["ai"])
            #expect(before["entitlement_version"] as? Int == 1)
            #expect(before["valid_until"] as? String == end)
            #expect(try await eventually(within: .seconds(60)) {
                try await entitlements(core, company)["entitlement_version"] as? Int == 2
            })
            #expect(modules(try await entitlements(core, company)).isEmpty)
            let history = try await core.call("GET", "/internal/v1/companies/\(company)/history", as: "admin")
            #expect((try history.json()["entries"] as? [[String: Any]])?.first?["change"] as? String == "period_boundary")
        }
    }

    @Test func changingAPackageBumpsEverySubscribedCompany() async throws {
        try await seeded { core in
            let companies = [UUID(), UUID(), UUID()]
            for company in companies {
                _ = try await core.call("PUT", "/internal/v1/companies/\(company)/subscription",
                                        body: #"{"package_key":"basic","status":"active","period_start":"\#(Self.start)"}"#)
            }
            // Read once so this instance caches the catalog; the change below must still show.
            #expect(modules(try await entitlements(core, companies[0])) == ["core_app"])
            let stale = try await core.call("PUT", "/internal/v1/catalog/packages/basic", body: #"{"name":"Basic","modules":["core_app","market"],"expected_version":7}"#)
            #expect(stale.status == 409)
            #expect(stale.errorCode == "version_mismatch")

            let update = try await core.call("PUT", "/internal/v1/catalog/packages/basic", body: #"{"name":"Basic","modules":["core_app","market"],"expected_version":1}"#)
            #expect(update.status == 200, "\(update.body)")
            #expect(try update.json()["affected_companies"] as? Int == 3)
            for company in companies {
                let result = try await entitlements(core, company)
                #expect(modules(result) == ["core_app", "market"])
                #expect(result["entitlement_version"] as? Int == 2)
                let history = try await core.call("GET", "/internal/v1/companies/\(company)/history", as: "admin")
                #expect((try history.json()["entries"] as? [[String: Any]])?.first?["change"] as? String == "package_modules_changed:basic")
            }

            let metrics = try await TestHTTP.get(core.url + "/metrics").body
            #expect(metricValue(metrics, "kisum_core_entitlement_version_bumps_total") == 6)  // 3 subscriptions + 3 by the package change
            #expect(metricValue(metrics, #"kisum_core_subscription_changes_total{kind="subscription_set"}"#) == 3)
            #expect(metricValue(metrics, #"kisum_core_catalog_mutations_total{kind="package_update"}"#) == 1)
            #expect(core.logs.lines.contains { $0.contains("\"msg\":\"catalog changed\"") && $0.contains("\"affected_companies\":\"3\"") })
            #expect(core.logs.lines.contains { $0.contains("entitlements changed") && $0.contains(companies[0].uuidString) })

            // Retiring stops new sales but never takes modules away from a paying company.
            let retire = try await core.call("POST", "/internal/v1/catalog/packages/basic/retire", body: #"{"expected_version":2}"#)
            #expect(retire.status == 200, "\(retire.body)")
            #expect(modules(try await entitlements(core, companies[0])) == ["core_app", "market"])
            let newSale = try await core.call("PUT", "/internal/v1/companies/\(UUID())/subscription",
                                              body: #"{"package_key":"basic","status":"active","period_start":"\#(Self.start)"}"#)
            #expect(newSale.status == 409)
        }
    }

    @Test func writesAreIdempotentPerKey() async throws {
        try await seeded { core in
            let company = UUID()
            let body = #"{"status":"active","period_start":"\#(Self.start)"}"#
            let first = try await core.call("PUT", "/internal/v1/companies/\(company)/addons/ai_addon", body: body, idempotencyKey: "k-1")
            let retry = try await core.call("PUT", "/internal/v1/companies/\(company)/addons/ai_addon", body: body, idempotencyKey: "k-1")
            #expect(first.status == 200)
            #expect(retry.status == 200)
            #expect(try retry.json()["entitlement_version"] as? Int == 1)  // applied once
            #expect(try await entitlements(core, company)["entitlement_version"] as? Int == 1)

            let reused = try await core.call("PUT", "/internal/v1/companies/\(company)/addons/ai_addon",
                                             body: #"{"status":"canceled","period_start":"\#(Self.start)"}"#, idempotencyKey: "k-1")
            #expect(reused.status == 422)
            #expect(reused.errorCode == "idempotency_key_reused")
            let missing = try await core.call("PUT", "/internal/v1/companies/\(company)/addons/ai_addon", body: body, idempotencyKey: nil)
            #expect(missing.status == 428)

            // Concurrent duplicates wait for the first and get its answer: one write, one version.
            let other = UUID()
            let replies = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await core.call("PUT", "/internal/v1/companies/\(other)/addons/ai_addon", body: body, idempotencyKey: "k-2")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.map(\.status) == Array(repeating: 200, count: 8), "\(replies.map(\.body))")
            #expect(Set(try replies.map { try $0.json()["entitlement_version"] as? Int }) == [1])
            #expect(try await entitlements(core, other)["entitlement_version"] as? Int == 1)
            // A write that fails leaves its key free: the same key with a valid request then works.
            let third = UUID()
            let failed = try await core.call("PUT", "/internal/v1/companies/\(third)/addons/no_such_addon", body: body, idempotencyKey: "k-3")
            #expect(failed.status >= 400 && failed.status < 500, "\(failed.status) \(failed.body)")
            let retried = try await core.call("PUT", "/internal/v1/companies/\(third)/addons/no_such_addon", body: body, idempotencyKey: "k-3")
            #expect(retried.status == failed.status, "the failed write's key was not left claimed: \(retried.body)")
        }
    }

    @Test func callersAndInputsAreChecked() async throws {
        try await seeded { core in
            let company = UUID()
            let noCredential = try await TestHTTP.get(core.url + "/internal/v1/catalog")
            #expect(noCredential.status == 401)
            #expect(try await core.call("GET", "/internal/v1/catalog", as: "finance").status == 403)
            // Auth reads but never writes.
            let authWrite = try await core.call("PUT", "/internal/v1/companies/\(company)/subscription", as: "auth",
                                                body: #"{"package_key":"basic","status":"active","period_start":"\#(Self.start)"}"#)
            #expect(authWrite.status == 403)
            #expect(core.logs.lines.contains { $0.contains("service authentication failed") })

            let cases: [(String, String, String?, Int, String)] = [
                ("GET", "/internal/v1/companies/not-a-uuid/entitlements", nil, 400, "invalid_request"),
                ("PUT", "/internal/v1/companies/\(company)/subscription", #"{"package_key":"gold","status":"active","period_start":"\#(Self.start)"}"#, 422, "unknown_package"),
                ("PUT", "/internal/v1/companies/\(company)/subscription", #"{"package_key":"basic","status":"paused","period_start":"\#(Self.start)"}"#, 400, "malformed_json"),
                ("PUT", "/internal/v1/companies/\(company)/subscription", #"{"package_key":"basic","status":"active","period_start":"2026-02-01T00:00:00Z","period_end":"2026-01-01T00:00:00Z"}"#, 422, "validation_failed"),
                ("PUT", "/internal/v1/companies/\(company)/addons/Bad-Key", #"{"status":"active","period_start":"\#(Self.start)"}"#, 400, "invalid_request"),
                ("POST", "/internal/v1/catalog/addons", #"{"key":"core_addon","name":"x","module":"core_app"}"#, 422, "validation_failed"),
                ("POST", "/internal/v1/catalog/modules", #"{"key":"finance","name":"again"}"#, 409, "already_exists"),
                ("POST", "/internal/v1/catalog/packages", #"{"key":"pro","name":"Pro","modules":["nope"]}"#, 422, "unknown_module"),
                ("DELETE", "/internal/v1/companies/\(company)/addons/ai_addon", "{}", 404, "not_found"),
            ]
            for (method, path, body, status, code) in cases {
                let response = try await core.call(method, path, as: method == "GET" ? "auth" : "admin", body: body)
                #expect(response.status == status, "\(method) \(path): \(response.body)")
                #expect(response.errorCode == code, "\(method) \(path): \(response.body)")
            }
            let catalog = try await core.call("GET", "/internal/v1/catalog", as: "auth")
            #expect((try catalog.json()["addons"] as? [[String: Any]])?.count == 3)
            // Renames use optimistic concurrency, and every instance's cached catalog sees them.
            let rename = try await core.call("PUT", "/internal/v1/catalog/modules/market", body: #"{"name":"Market+","expected_version":1}"#)
            #expect(try rename.json()["version"] as? Int == 2)
            let stale = try await core.call("PUT", "/internal/v1/catalog/modules/market", body: #"{"name":"Market++","expected_version":1}"#)
            #expect(stale.errorCode == "version_mismatch")
            let renamed = try await core.call("GET", "/internal/v1/catalog/modules?after=finance&limit=1", as: "auth").json()
            #expect((renamed["items"] as? [[String: Any]])?.first?["name"] as? String == "Market+")
            // Paged lists: four modules in pages of three.
            let first = try await core.call("GET", "/internal/v1/catalog/modules?limit=3", as: "auth").json()
            #expect((first["items"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["ai", "core_app", "finance"])
            let after = try #require(first["next_after"] as? String)
            let second = try await core.call("GET", "/internal/v1/catalog/modules?limit=3&after=\(after)", as: "auth").json()
            #expect((second["items"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["market"])
            #expect(second["next_after"] == nil)
        }
    }
}
