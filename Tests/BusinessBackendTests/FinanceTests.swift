import FinanceService
import Foundation
import HTTPTypes
import PlatformDaemon
import PlatformKit
import PlatformTesting
import ServiceWorlds
import Testing

extension BackendSuites {
    /// Finance against real Core, Auth and PostgreSQL: a retried booking never books twice, the
    /// report is the database's sum, an add-on works without Basic, and a subscription change is
    /// refused within a second.
    @Suite struct FinanceTests {
        func world(_ body: (BackendWorld) async throws -> Void) async throws {
            try await BackendWorld.with(FinanceDaemon.self, body)
        }

        func book(_ world: BackendWorld, _ amount: Int, _ category: String, on day: String, currency: String = "EUR", as person: String = "ada",
                  org: String = "acme", key: String = UUID().uuidString) async throws -> TestResponse {
            try await world.call("POST", "/v1/transactions", as: person, org: org, body: """
                {"amount_minor":\(amount),"currency":"\(currency)","category":"\(category)","booked_on":"\(day)"}
                """, headers: [("idempotency-key", key)])
        }

        @Test(.timeLimit(.minutes(2))) func concurrentRetriesOfOneBookingBookOnce() async throws {
            try await world { world in
                let body = #"{"amount_minor":-12345,"currency":"EUR","category":"travel","booked_on":"2026-11-03","counterparty":"Rail"}"#
                let replies = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                    for _ in 0..<12 {
                        group.addTask {
                            try await world.call("POST", "/v1/transactions", as: "ada", body: body, headers: [("idempotency-key", "retry-1")])
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(replies.map(\.status) == Array(repeating: 201, count: 12), "\(replies.map(\.body))")
                #expect(Set(try replies.map { try $0.json()["id"] as? String }).count == 1)
                #expect(replies.filter { $0.header("idempotent-replay") == "true" }.count == 11)
                #expect(try await world.backendDatabase.rows("SELECT count(*) FROM transactions")[0][0] == "1")

                let other = #"{"amount_minor":-1,"currency":"EUR","category":"travel","booked_on":"2026-11-03"}"#
                #expect(try await world.call("POST", "/v1/transactions", as: "ada", body: other, headers: [("idempotency-key", "retry-1")])
                    .errorCode == "idempotency_key_reused")
                #expect(try await world.call("POST", "/v1/transactions", as: "ada", body: other).status == 428)
                // Keys are per company: Beacon's "retry-1" is its own.
                #expect(try await world.call("POST", "/v1/transactions", as: "bo", org: "beacon", body: body,
                                             headers: [("idempotency-key", "retry-1")]).header("idempotent-replay") == nil)
            }
        }

        /// A replay is the first answer as it was sent, not decoded into today's type: an answer
        /// stored by an earlier release (here: a field this release does not know, one it
        /// requires missing) is given back byte for byte, never a 500.
        @Test(.timeLimit(.minutes(2))) func aReplayIsTheStoredAnswerByteForByte() async throws {
            try await world { world in
                let first = try await book(world, -500, "travel", on: "2026-11-04", key: "replay-1")
                #expect(first.status == 201 && first.header("idempotent-replay") == nil, "\(first.body)")
                let earlier = #"{"id":"00000000-0000-4000-8000-000000000001","amount_minor":-500,"legacy_field":true}"#
                _ = try await world.backendDatabase.script("UPDATE idempotency_keys SET response = '\(earlier)' WHERE key = 'replay-1'")
                let replay = try await book(world, -500, "travel", on: "2026-11-04", key: "replay-1")
                #expect(replay.status == 201 && replay.header("idempotent-replay") == "true", "\(replay.status) \(replay.body)")
                #expect(replay.body == earlier)
                #expect(replay.header("content-type")?.hasPrefix("application/json") == true)
            }
        }

        @Test(.timeLimit(.minutes(2))) func theReportSumsMonthsAndCategoriesAgainstBudgets() async throws {
            try await world { world in
                for (amount, category, day) in [(100_000, "tickets", "2026-10-05"), (-30_000, "venue", "2026-10-06"), (-5_000, "venue", "2026-10-20"),
                                                (-2_500, "travel", "2026-11-01"), (50_000, "tickets", "2026-11-30")] {
                    #expect(try await book(world, amount, category, on: day).status == 201)
                }
                #expect(try await book(world, -99_999, "venue", on: "2026-10-07", currency: "USD").status == 201)  // another currency
                #expect(try await book(world, -77_777, "venue", on: "2026-10-07", as: "bo", org: "beacon").status == 201)  // another company
                for (month, category, amount) in [("2026-10", "venue", 30_000), ("2026-11", "catering", 10_000)] {
                    let set = try await world.call("PUT", "/v1/budgets", as: "ada",
                                                   body: #"{"month":"\#(month)","category":"\#(category)","currency":"EUR","amount_minor":\#(amount)}"#)
                    #expect(set.status == 200, "\(set.body)")
                }
                // A budget is answered as it is sent, so it can be sent back.
                let october = try await world.call("GET", "/v1/budgets?month=2026-10", as: "ada")
                let budget = try #require((try october.json()["items"] as? [[String: Any]])?.first)
                #expect(budget["month"] as? String == "2026-10")
                let resent = try JSONSerialization.data(withJSONObject: budget)
                #expect(try await world.call("PUT", "/v1/budgets", as: "ada", body: String(decoding: resent, as: UTF8.self)).status == 200)
                // Budgets are the company's own: Beacon sees none of Acme's.
                #expect((try await world.call("GET", "/v1/budgets?month=2026-10", as: "bo", org: "beacon").json()["items"] as? [Any])?.isEmpty == true)
                let report = try await world.call("GET", "/v1/reports/monthly?from=2026-10&to=2026-11&currency=EUR", as: "ada").json()
                let months = try #require(report["months"] as? [[String: Any]])
                #expect(months.map { $0["month"] as? String } == ["2026-10", "2026-11"])
                #expect(months[0]["income_minor"] as? Int == 100_000 && months[0]["spent_minor"] as? Int == 35_000)
                #expect(months[0]["budget_minor"] as? Int == 30_000)
                let octoberLines = try #require(months[0]["categories"] as? [[String: Any]])
                #expect(octoberLines.map { $0["category"] as? String } == ["tickets", "venue"])
                #expect(octoberLines[1]["spent_minor"] as? Int == 35_000 && octoberLines[1]["remaining_minor"] as? Int == -5_000)
                let november = try #require(months[1]["categories"] as? [[String: Any]])
                // A budget with nothing spent yet is a line too.
                #expect(november.map { $0["category"] as? String } == ["catering", "tickets", "travel"])
                #expect(november[0]["remaining_minor"] as? Int == 10_000)
                #expect(try await world.call("GET", "/v1/reports/monthly?from=2026-11&to=2026-10&currency=EUR", as: "ada").errorCode == "validation_failed")
                #expect(try await world.call("GET", "/v1/reports/monthly?from=2026-10&to=2026-11&currency=eur", as: "ada").errorCode == "validation_failed")
            }
        }

        @Test(.timeLimit(.minutes(2))) func refusalsIsolationAndAnAddOnWithoutBasic() async throws {
            try await world { world in
                let booked = try await book(world, 500, "tickets", on: "2026-11-02")
                let id = try #require(try booked.json()["id"] as? String)
                #expect(try await world.call("GET", "/v1/transactions/\(id)", as: "bo", org: "beacon").errorCode == "not_found")
                #expect(try await world.call("GET", "/v1/transactions", as: "vic").status == 200)
                #expect(try await book(world, 1, "x", on: "2026-11-02", as: "vic").errorCode == "permission_denied")
                #expect(try await world.call("GET", "/v1/transactions", as: "nia").errorCode == "module_not_entitled")
                // Cobalt has no Basic, but its Finance add-on is active: Finance works there.
                #expect(try await book(world, 700, "tickets", on: "2026-11-02", as: "cy", org: "cobalt").status == 201)
                for bad in [#"{"amount_minor":0,"currency":"EUR","category":"x","booked_on":"2026-11-02"}"#,
                            #"{"amount_minor":5,"currency":"EUR","category":"x","booked_on":"2026-02-30"}"#,
                            #"{"amount_minor":5,"currency":"euro","category":"x","booked_on":"2026-11-02"}"#,
                            #"{"amount_minor":5,"currency":"EUR","category":"","booked_on":"2026-11-02"}"#] {
                    #expect(try await world.call("POST", "/v1/transactions", as: "ada", body: bad, headers: [("idempotency-key", UUID().uuidString)])
                        .errorCode == "validation_failed", "\(bad)")
                }
                let listed = try await world.call("GET", "/v1/transactions?from=2026-11-01&to=2026-11-30", as: "ada").json()["items"] as? [[String: Any]]
                #expect(listed?.count == 1)
            }
        }

        @Test(.timeLimit(.minutes(2))) func removingTheAddOnIsRefusedWithinASecond() async throws {
            try await world { world in
                #expect(try await world.call("GET", "/v1/transactions", as: "ada").status == 200)
                let acme = try #require(world.companies["acme"])
                let removed = try await world.coreAdmin.send(.delete, "/internal/v1/companies/\(acme)/addons/finance_addon", json: ["reason": "test"],
                                                             headers: [("idempotency-key", UUID().uuidString)])
                #expect(removed.status == 200)
                let changed = ContinuousClock.now
                while true {
                    let sent = ContinuousClock.now
                    let reply = try await world.call("GET", "/v1/transactions", as: "ada")
                    if reply.status != 200 {
                        #expect(reply.errorCode == "module_not_entitled", "\(reply.body)")
                        break
                    }
                    #expect(sent - changed < .seconds(1), "still allowed \(sent - changed) after the add-on was removed")
                    guard sent - changed < .seconds(10) else { throw TestFailure("still allowed") }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
        }
    }
}
