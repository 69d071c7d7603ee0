import AccessControl
import BasicService
import Foundation
import HTTPTypes
import PlatformDaemon
import PlatformKit
import PlatformSmoke
import ServiceAuth
import PlatformTesting
import ServiceWorlds
import Testing

extension BackendSuites {
    /// Basic against real Core, Auth and PostgreSQL: every refusal with its code, companies that
    /// never see each other's rows, stable pages, and changes of access refused within a second.
    @Suite struct BasicTests {
        func world(_ body: (BackendWorld) async throws -> Void) async throws {
            try await BackendWorld.with(BasicDaemon.self, body)
        }

        @discardableResult
        func contact(_ world: BackendWorld, _ name: String, as person: String = "ada", org: String = "acme") async throws -> String {
            let created = try await world.call("POST", "/v1/contacts", as: person, org: org, body: #"{"name":"\#(name)"}"#)
            guard created.status == 201, let id = try created.json()["id"] as? String else {
                throw TestFailure("creating \(name): \(created.status) \(created.body)")
            }
            return id
        }

        /// "status code", e.g. `403 permission_denied`.
        static func code(_ reply: TestResponse) -> String { "\(reply.status) \(reply.errorCode ?? "-")" }

        @Test(.timeLimit(.minutes(2))) func everyRefusalHasItsCode() async throws {
            try await world { world in
                let anonymous = try await TestHTTP.get(world.backend.publicURL! + "/v1/contacts", headers: [("x-org", "acme")])
                #expect(Self.code(anonymous) == "401 token_missing")
                #expect(try await Self.code(world.call("GET", "/v1/contacts", as: "not-a-token")) == "401 token_invalid")
                #expect(try await Self.code(world.call("GET", "/v1/contacts", as: "ada", org: nil)) == "400 x_org_missing")
                #expect(try await Self.code(world.call("GET", "/v1/contacts", as: "ada", org: "not a slug!")) == "400 x_org_missing")
                // Another company, and one that does not exist, look the same.
                #expect(try await Self.code(world.call("GET", "/v1/contacts", as: "ada", org: "beacon")) == "403 x_org_forbidden")
                #expect(try await Self.code(world.call("GET", "/v1/contacts", as: "ada", org: "nowhere")) == "403 x_org_forbidden")
                // Cobalt has every add-on but no Basic: the Core App is not visible there.
                #expect(try await Self.code(world.call("GET", "/v1/contacts", as: "cy", org: "cobalt")) == "403 module_not_entitled")
                // Nia holds market only: one module never implies another.
                #expect(try await Self.code(world.call("GET", "/v1/contacts", as: "nia")) == "403 module_not_entitled")
                // Vic views: reads, never writes.
                #expect(try await Self.code(world.call("GET", "/v1/contacts", as: "vic")) == "200 -")
                #expect(try await Self.code(world.call("POST", "/v1/contacts", as: "vic", body: #"{"name":"X"}"#)) == "403 permission_denied")
                #expect(try await Self.code(world.call("GET", "/v1/contacts?limit=0", as: "ada")) == "422 validation_failed")
                #expect(try await Self.code(world.call("GET", "/v1/contacts?cursor=zz", as: "ada")) == "400 invalid_cursor")
                #expect(try await Self.code(world.call("GET", "/v1/contacts/not-a-uuid", as: "ada")) == "400 invalid_request")
            }
        }

        @Test(.timeLimit(.minutes(2))) func aRetriedCreateWithAKeyCreatesOnce() async throws {
            try await world { world in
                let body = #"{"name":"Once Only"}"#
                let replies = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                    for _ in 0..<6 {
                        group.addTask { try await world.call("POST", "/v1/contacts", as: "ada", body: body, headers: [("idempotency-key", "c-1")]) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(replies.map(\.status) == Array(repeating: 201, count: 6), "\(replies.map(\.body))")
                #expect(Set(try replies.map { try $0.json()["id"] as? String }).count == 1)
                #expect(replies.filter { $0.header("idempotent-replay") == "true" }.count == 5)
                #expect(try await world.backendDatabase.rows("SELECT count(*) FROM contacts")[0][0] == "1")
                #expect(try await world.call("POST", "/v1/contacts", as: "ada", body: #"{"name":"Other"}"#, headers: [("idempotency-key", "c-1")])
                    .errorCode == "idempotency_key_reused")
                // Without a key every POST creates.
                #expect(try await world.call("POST", "/v1/contacts", as: "ada", body: body).status == 201)
                // A refused event (a contact of another company) keeps no answer under its key: fixed, the retry creates.
                let foreign = try await contact(world, "Beacon's", as: "bo", org: "beacon")
                let start = "2027-01-01T10:00:00Z", end = "2027-01-01T11:00:00.500Z"
                let refused = try await world.call("POST", "/v1/events", as: "ada", body: """
                    {"title":"Call","starts_at":"\(start)","ends_at":"\(end)","contact_id":"\(foreign)"}
                    """, headers: [("idempotency-key", "e-1")])
                #expect(refused.errorCode == "validation_failed")
                let fixed = try await world.call("POST", "/v1/events", as: "ada", body: """
                    {"title":"Call","starts_at":"\(start)","ends_at":"\(end)"}
                    """, headers: [("idempotency-key", "e-1")])
                #expect(fixed.status == 201 && fixed.header("idempotent-replay") == nil, "\(fixed.body)")
            }
        }

        @Test(.timeLimit(.minutes(2))) func aCompanyNeverSeesAnothersRows() async throws {
            try await world { world in
                let acmes = try await contact(world, "Acme's client")
                let beacons = try await contact(world, "Beacon's client", as: "bo", org: "beacon")
                let listed = try await world.call("GET", "/v1/contacts", as: "bo", org: "beacon").json()["items"] as? [[String: Any]]
                #expect(listed?.compactMap { $0["id"] as? String } == [beacons])
                for method in ["GET", "DELETE"] {
                    #expect(try await world.call(method, "/v1/contacts/\(acmes)", as: "bo", org: "beacon").errorCode == "not_found")
                }
                #expect(try await world.call("PATCH", "/v1/contacts/\(acmes)", as: "bo", org: "beacon", body: #"{"name":"Mine"}"#).errorCode == "not_found")
                // Bo cannot attach Acme's contact to Beacon's calendar either.
                let event = try await world.call("POST", "/v1/events", as: "bo", org: "beacon", body: """
                    {"title":"Call","starts_at":"2026-12-01T09:00:00Z","ends_at":"2026-12-01T10:00:00Z","contact_id":"\(acmes)"}
                    """)
                #expect(event.status == 422)
                #expect(try await world.call("GET", "/v1/contacts/\(acmes)", as: "ada").json()["name"] as? String == "Acme's client")
            }
        }

        @Test(.timeLimit(.minutes(2))) func contactsAndEventsAreValidatedAndKept() async throws {
            try await world { world in
                for body in [#"{}"#, #"{"name":"  "}"#, #"{"name":"A","email":"not-an-address"}"#,
                             #"{"name":"\#(String(repeating: "x", count: 201))"}"#] {
                    #expect(try await world.call("POST", "/v1/contacts", as: "ada", body: body).errorCode == "validation_failed", "\(body)")
                }
                #expect(try await world.call("POST", "/v1/contacts", as: "ada", body: "{").errorCode == "malformed_json")
                let id = try await contact(world, "Ada")
                let changed = try await world.call("PATCH", "/v1/contacts/\(id)", as: "ada", body: #"{"email":"Ada@Example.org","phone":"+1 555"}"#)
                #expect(changed.status == 200)
                #expect(try changed.json()["email"] as? String == "ada@example.org")
                #expect(try changed.json()["name"] as? String == "Ada")

                let backwards = try await world.call("POST", "/v1/events", as: "ada", body: """
                    {"title":"Backwards","starts_at":"2026-12-01T10:00:00Z","ends_at":"2026-12-01T09:00:00Z"}
                    """)
                #expect(backwards.errorCode == "validation_failed")
                let event = try await world.call("POST", "/v1/events", as: "ada", body: """
                    {"title":"Meeting","starts_at":"2026-12-01T09:00:00Z","ends_at":"2026-12-01T10:00:00Z","contact_id":"\(id)"}
                    """)
                #expect(event.status == 201, "\(event.body)")
                let eventID = try #require(try event.json()["id"] as? String)
                func titles(_ query: String) async throws -> [String] {
                    (try await world.call("GET", "/v1/events\(query)", as: "ada").json()["items"] as? [[String: Any]])?
                        .compactMap { $0["title"] as? String } ?? []
                }
                #expect(try await titles("?from=2026-12-01T09:30:00Z&to=2026-12-01T11:00:00Z") == ["Meeting"])
                #expect(try await titles("?from=2026-12-01T10:00:00Z") == [])
                // Events are the company's own: Beacon can neither list nor read Acme's.
                let beaconList = try await world.call("GET", "/v1/events?from=2026-12-01T00:00:00Z", as: "bo", org: "beacon").json()
                #expect((beaconList["items"] as? [[String: Any]])?.contains { $0["id"] as? String == eventID } == false)
                #expect(try await world.call("GET", "/v1/events/\(eventID)", as: "bo", org: "beacon").status == 404)
                #expect(try await world.call("DELETE", "/v1/events/\(eventID)", as: "bo", org: "beacon").status == 404)
                #expect(try await world.call("GET", "/v1/events?from=yesterday", as: "ada").errorCode == "validation_failed")
                // Removing the contact keeps the event, without the contact.
                #expect(try await world.call("DELETE", "/v1/contacts/\(id)", as: "ada").status == 204)
                let kept = try await world.call("GET", "/v1/events/\(eventID)", as: "ada").json()
                #expect(kept["title"] as? String == "Meeting" && kept["contact_id"] == nil)
                #expect(try await world.call("DELETE", "/v1/events/\(eventID)", as: "ada").status == 204)
                #expect(try await world.call("GET", "/v1/events/\(eventID)", as: "ada").status == 404)
            }
        }

        @Test(.timeLimit(.minutes(2))) func concurrentChangesOfDifferentFieldsAllStay() async throws {
            try await world { world in
                for round in 1...4 {
                    let id = try await contact(world, "Round \(round)")
                    let changes = [#"{"email":"r\#(round)@example.org"}"#, #"{"phone":"+1 555 \#(round)"}"#, #"{"notes":"note \#(round)"}"#,
                                   #"{"name":"Renamed \#(round)"}"#]
                    let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                        for change in changes { group.addTask { try await world.call("PATCH", "/v1/contacts/\(id)", as: "ada", body: change).status } }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                    #expect(statuses == [200, 200, 200, 200])
                    let kept = try await world.call("GET", "/v1/contacts/\(id)", as: "ada").json()
                    #expect(kept["email"] as? String == "r\(round)@example.org" && kept["phone"] as? String == "+1 555 \(round)"
                            && kept["notes"] as? String == "note \(round)" && kept["name"] as? String == "Renamed \(round)", "\(kept)")
                }
            }
        }

        @Test(.timeLimit(.minutes(2))) func pagesStayStableWhileRowsAreInserted() async throws {
            try await world { world in
                var created: [String] = []
                for index in 1...5 { created.append(try await contact(world, "Contact \(index)")) }
                var seen: [String] = [], cursor: String? = nil
                repeat {
                    let page = try await world.call("GET", "/v1/contacts?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: "ada").json()
                    seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    cursor = page["next_cursor"] as? String
                    // Rows inserted while paging appear once, at the end.
                    if seen.count == 2 { for index in 6...7 { created.append(try await contact(world, "Contact \(index)")) } }
                } while cursor != nil
                #expect(seen == created)
            }
        }

        @Test(.timeLimit(.minutes(2))) func changesOfAccessAreRefusedWithinASecond() async throws {
            try await world { world in
                func refusedWithinASecond(_ person: String, _ code: String, after change: () async throws -> Void) async throws {
                    #expect(try await world.call("GET", "/v1/contacts", as: person).status == 200)
                    try await change()
                    let changed = ContinuousClock.now
                    while true {
                        let sent = ContinuousClock.now
                        let reply = try await world.call("GET", "/v1/contacts", as: person)
                        if reply.status != 200 {
                            #expect(reply.errorCode == code, "\(reply.body)")
                            return
                        }
                        #expect(sent - changed < .seconds(1), "\(person) still allowed \(sent - changed) after the change")
                        guard sent - changed < .seconds(10) else { throw TestFailure("still allowed") }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                // A membership change: Vic's grants lose core_app.
                try await refusedWithinASecond("vic", "module_not_entitled") {
                    try await world.authSQL("""
                        DELETE FROM membership_module_grants WHERE module_key = 'core_app'
                          AND membership_id IN (SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'vic@kisum.test')
                        """)
                }
                // A session revoked.
                try await refusedWithinASecond("ada", "session_revoked") {
                    try await world.authSQL("UPDATE sessions SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE email = 'ada@kisum.test')")
                }
            }
        }

        @Test(.timeLimit(.minutes(2))) func theAPIDocumentNamesWhatEachRouteNeeds() async throws {
            try await world { world in
                let document = try await TestHTTP.get(world.backend.managementURL + "/openapi.yaml")
                #expect(document.status == 200)
                for permission in ["core_app.contacts.read", "core_app.contacts.write", "core_app.calendar.read", "core_app.calendar.write"] {
                    #expect(document.body.contains(permission), "\(permission)")
                }
                #expect(document.body.contains("core_app_visible"))
            }
        }
    }

    /// The smoke test's business-backend checks against a real Basic (the rest of the platform's
    /// smoke test is covered with Admin in AdminServiceTests).
    @Suite struct BasicSmokeTests {
        @Test(.timeLimit(.minutes(2))) func theSmokeTestsBackendChecksPass() async throws {
            try await BackendWorld.with(BasicDaemon.self) { world in
                let target = SmokeTarget(authURL: world.auth.daemon.publicURL!, authManagementURL: world.auth.daemon.managementURL,
                                         coreManagementURL: world.core.managementURL, adminURL: "http://127.0.0.1:\(TestEnvironment.freePort())",
                                         adminEmail: "nobody@kisum.test", adminPassword: "-", userEmail: "ada@kisum.test", userPassword: "pw-pw-pw",
                                         company: "acme", addon: "finance_addon", module: "finance", serviceKey: ServiceKey(),
                                         backendURL: world.backend.publicURL!)
                let results = await SmokeRun(target: target).run()
                let backend = results.filter { $0.name.hasPrefix("backend") }
                #expect(backend.map(\.name) == ["backend permission-allowed request", "backend permission-denied request"])
                #expect(backend.allSatisfy { $0.outcome == .passed }, "\(backend.map(\.line))")
                #expect(backend.last?.detail.hasSuffix("403 x_org_forbidden") == true, "\(backend.map(\.line))")
            }
        }
    }
}
