import AIService
import BasicService
import FinanceService
import Foundation
import HTTPTypes
import MarketService
import PlatformDaemon
import PlatformKit
import PlatformTesting
import ServiceWorlds
import Testing
import TouringService
import VenueService

/// What every business backend owes its callers, checked the same way at all six: each refusal
/// with its code, and the 1-second guarantee for a session revoke, a membership change and a
/// subscription change — with Auth's Redis up and with it down.
struct BackendContract: Sendable, CustomTestStringConvertible {
    let app: any DaemonApplication.Type
    /// An authorized read (a list route).
    let read: String
    /// A write that needs the write permission (a viewer is refused it).
    let write: (path: String, body: String)
    /// The Core add-on whose removal ends the module for Acme (Basic: the subscription itself).
    let addon: String?
    let module: String
    /// Who is refused `module_not_entitled` for a module they were not granted (Nia holds market only).
    let ungranted: String?
    /// The paginated list the write adds to (with `limit` and `cursor`).
    let list: String

    var testDescription: String { "\(app.descriptor.name)" }

    static let all: [BackendContract] = [
        BackendContract(app: BasicDaemon.self, read: "/v1/contacts", write: ("/v1/contacts", #"{"name":"X"}"#), addon: nil, module: "core_app",
                        ungranted: "nia", list: "/v1/contacts"),
        BackendContract(app: FinanceDaemon.self, read: "/v1/budgets?month=2026-11",
                        write: ("/v1/transactions", #"{"amount_minor":1,"currency":"EUR","category":"x","booked_on":"2026-11-02"}"#),
                        addon: "finance_addon", module: "finance", ungranted: "nia", list: "/v1/transactions"),
        BackendContract(app: MarketDaemon.self, read: "/v1/listings", write: ("/v1/listings", #"{"title":"X","currency":"EUR"}"#),
                        addon: "market_addon", module: "market", ungranted: nil, list: "/v1/listings"),
        BackendContract(app: TouringDaemon.self, read: "/v1/tours", write: ("/v1/tours", #"{"name":"X"}"#), addon: "touring_addon",
                        module: "touring", ungranted: "nia", list: "/v1/tours"),
        BackendContract(app: VenueDaemon.self, read: "/v1/venues", write: ("/v1/venues", #"{"name":"X"}"#), addon: "venue_addon",
                        module: "venue", ungranted: "nia", list: "/v1/venues"),
        BackendContract(app: AIDaemon.self, read: "/v1/usage", write: ("/v1/assist", #"{"task":"summarize","text":"One. Two."}"#),
                        addon: "ai_addon", module: "ai", ungranted: "nia", list: "/v1/usage/records"),
    ]
}

extension BackendSuites {
    @Suite struct BackendContractTests {
        static func code(_ reply: TestResponse) -> String { "\(reply.status) \(reply.errorCode ?? "-")" }

        /// Every contract with Auth's Redis up, and with it configured but unreachable.
        static let cases: [(BackendContract, Bool)] = BackendContract.all.flatMap { [($0, true), ($0, false)] }

        @Test(.timeLimit(.minutes(2)), arguments: cases)
        func refusalsAndTheOneSecondGuarantee(_ contract: BackendContract, redisUp: Bool) async throws {
            let redis = redisUp ? TestEnvironment.redisURL : "redis://127.0.0.1:\(TestEnvironment.freePort())"
            try await BackendWorld.with(contract.app, authEnvironment: ["REDIS_URL": redis]) { world in
                let read = contract.read
                let anonymous = try await TestHTTP.get(world.backend.publicURL! + read, headers: [("x-org", "acme")])
                #expect(Self.code(anonymous) == "401 token_missing")
                #expect(try await Self.code(world.call("GET", read, as: "not-a-token")) == "401 token_invalid")
                #expect(try await Self.code(world.call("GET", read, as: "ada", org: nil)) == "400 x_org_missing")
                #expect(try await Self.code(world.call("GET", read, as: "ada", org: "beacon")) == "403 x_org_forbidden")
                #expect(try await Self.code(world.call("GET", read, as: "ada", org: "nowhere")) == "403 x_org_forbidden")
                if let person = contract.ungranted {
                    #expect(try await Self.code(world.call("GET", read, as: person)) == "403 module_not_entitled")
                }
                #expect(try await Self.code(world.call("GET", read, as: "vic")) == "200 -")
                #expect(try await Self.code(world.call("POST", contract.write.path, as: "vic", body: contract.write.body)) == "403 permission_denied")
                #expect(try await Self.code(world.call("GET", read, as: "ada")) == "200 -")
                // A token past its expiry, and one naming a key Auth never published.
                let expired = try await world.auth.signWithActiveKey(ttl: .seconds(-120)).token
                #expect(try await Self.code(world.call("GET", read, as: expired)) == "401 token_expired")
                let ada = try #require(world.tokens["ada"])
                let header = Data(#"{"alg":"RS256","typ":"JWT","kid":"never-published"}"#.utf8).base64EncodedString()
                    .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
                let foreignKey = header + ada[ada.firstIndex(of: ".")!...]
                #expect(try await Self.code(world.call("GET", read, as: foreignKey)) == "401 key_unknown")
                if redisUp {
                    // Served where the checks look: health, readiness, the annotated API document.
                    for probe in ["/health", "/ready"] {
                        #expect(try await TestHTTP.get(world.backend.managementURL + probe).status == 200, "\(probe)")
                    }
                    let document = try await TestHTTP.get(world.backend.managementURL + "/openapi.yaml")
                    #expect(document.status == 200 && document.body.contains("x-kisum-access") && document.body.contains("\(contract.module)."))
                    // The document against the service: answers match their schemas, and every
                    // route is documented and every documented operation routed.
                    let allowed = try await world.call("GET", read, as: "ada"), refused = try await world.call("POST", contract.write.path, as: "vic",
                                                                                                             body: contract.write.body)
                    let template = String(read.prefix { $0 != "?" })
                    let check = try await APIDocumentCheck.run(document: document.body, samples: [
                        ["method": "GET", "path": template, "status": allowed.status, "body": allowed.body],
                        ["method": "POST", "path": contract.write.path, "status": refused.status, "body": refused.body],
                    ])
                    #expect(check.status == 0, "\(check.output)")
                    let infrastructure: Set<String> = ["/health", "/ready", "/metrics", "/openapi.yaml"]
                    let routed = APIDocumentCheck.normalise(world.backend.publicRoutes + world.backend.managementRoutes)
                        .filter { route in !infrastructure.contains(String(route.split(separator: " ").last ?? "")) }
                    #expect(check.documented == routed,
                            "documented only: \(check.documented.subtracting(routed)); routed only: \(routed.subtracting(check.documented))")

                    // The refusals above, counted by code (and module and permission for a
                    // route's requirement); Auth asked while memory was cold; the feed's lag.
                    let metrics = try await TestHTTP.get(world.backend.managementURL + "/metrics").body
                    func counted(_ prefix: String) -> Bool {
                        metrics.split(separator: "\n").contains { line in
                            line.hasPrefix(prefix) && (Double(line.split(separator: " ").last ?? "") ?? 0) >= 1
                        }
                    }
                    for code in ["token_missing", "token_invalid", "token_expired", "key_unknown", "x_org_forbidden"] {
                        #expect(counted(#"kisum_access_refusals_total{code="\#(code)""#), "\(code) not counted")
                    }
                    #expect(counted(#"kisum_access_refusals_total{code="permission_denied",module="\#(contract.module)",permission="\#(contract.module)."#))
                    #expect(counted(#"kisum_access_context_fetch_seconds_count{outcome="ok"}"#))
                    let vouched = metrics.split(separator: "\n").first { $0.hasPrefix("kisum_access_feed_last_complete_timestamp_seconds ") }
                        .flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
                    #expect(abs(Date().timeIntervalSince1970 - vouched) < 5, "feed last vouched at \(vouched)")
                }

                // A membership change: Vic's grant of the module goes.
                try await refusedWithinASecond(world, read, "vic", "module_not_entitled") {
                    try await world.authSQL("""
                        DELETE FROM membership_module_grants WHERE module_key = $1
                          AND membership_id IN (SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'vic@kisum.test')
                        """, [contract.module])
                }
                // A subscription change in Core: Acme loses the module.
                let acme = try #require(world.companies["acme"])
                try await refusedWithinASecond(world, read, "ada", "module_not_entitled") {
                    let path = contract.addon.map { "/internal/v1/companies/\(acme)/addons/\($0)" } ?? "/internal/v1/companies/\(acme)/subscription/cancel"
                    let reply = try await world.coreAdmin.send(contract.addon == nil ? .post : .delete, path, json: ["reason": "test"],
                                                               headers: [("idempotency-key", UUID().uuidString)])
                    guard reply.status == 200 else { throw TestFailure("core \(path): \(reply.status)") }
                }
                // A session revoked: Bo's, in Beacon.
                try await refusedWithinASecond(world, read, "bo", "session_revoked", org: "beacon") {
                    try await world.authSQL("UPDATE sessions SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE email = 'bo@kisum.test')")
                }
                // A membership made inactive (Vic's, through Auth's admin route): its refusal
                // becomes membership_inactive within a second (the ladder checks it before grants).
                let vic = try #require(try await world.auth.database.rows(
                    "SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'vic@kisum.test'").first?[0] ?? nil)
                let inactive = try await world.auth.call("POST", "/internal/v1/memberships/\(vic)/status", body: #"{"status":"inactive","reason":"t"}"#,
                                                         headers: [("x-kisum-acting-user", "ops@kisum.test")])
                #expect(inactive.status == 200, "\(inactive.body)")
                #expect(try await eventually(within: .seconds(1)) { try await Self.code(world.call("GET", read, as: "vic")) == "403 membership_inactive" },
                        "vic not refused membership_inactive within a second")
                if redisUp {
                    // Auth gone and the feed stale: no decision can be made, so none is: 503.
                    try await world.auth.daemon.shutdown()
                    #expect(try await eventually(within: .seconds(2)) {
                        try await Self.code(world.call("GET", read, as: "ada")) == "503 access_unavailable"
                    }, "not access_unavailable 2 s after Auth stopped")
                }
            }
        }

        /// Pages stay stable while rows are added: every row that existed when paging began is
        /// seen exactly once, and no row twice (keyset pages, not offsets).
        @Test(.timeLimit(.minutes(2)), arguments: BackendContract.all)
        func pagesAreStableUnderInserts(_ contract: BackendContract) async throws {
            try await BackendWorld.with(contract.app) { world in
                func create() async throws -> String {
                    let reply = try await world.call("POST", contract.write.path, as: "ada", body: contract.write.body,
                                                     headers: [("idempotency-key", UUID().uuidString)])
                    guard (200..<300).contains(reply.status), let id = try reply.json()["id"] as? String else {
                        throw TestFailure("\(contract.write.path): \(reply.status) \(reply.body)")
                    }
                    return id
                }
                var existing: [String] = []
                for _ in 0..<5 { existing.append(try await create()) }
                var seen: [String] = [], cursor: String?, pages = 0
                repeat {
                    let separator = contract.list.contains("?") ? "&" : "?"
                    let page = try await world.call("GET", contract.list + separator + "limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: "ada")
                    #expect(page.status == 200, "\(page.body)")
                    let body = try page.json()
                    seen += (body["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    cursor = body["next_cursor"] as? String
                    pages += 1
                    if pages == 1 { for _ in 0..<2 { _ = try await create() } }  // rows added while paging
                } while cursor != nil && pages < 20
                #expect(Set(seen).count == seen.count, "a row was seen twice: \(seen)")
                #expect(existing.allSatisfy { seen.contains($0) }, "rows missed: \(Set(existing).subtracting(seen))")
            }
        }

        /// Asks every 20 ms from the moment `change` returned: allowed only within the first second, then refused with `code`.
        func refusedWithinASecond(_ world: BackendWorld, _ path: String, _ person: String, _ code: String, org: String = "acme",
                                  after change: () async throws -> Void) async throws {
            #expect(try await world.call("GET", path, as: person, org: org).status == 200)
            try await change()
            let changed = ContinuousClock.now
            while true {
                let sent = ContinuousClock.now
                let reply = try await world.call("GET", path, as: person, org: org)
                if reply.status != 200 {
                    #expect(reply.errorCode == code, "\(person): \(reply.body)")
                    return
                }
                #expect(sent - changed < .seconds(1), "\(person) still allowed \(sent - changed) after the change")
                guard sent - changed < .seconds(10) else { throw TestFailure("\(person) still allowed 10 s after the change") }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}
