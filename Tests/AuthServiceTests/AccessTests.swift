import AccessControl
import AuthService
import CoreService
import Foundation
import HTTPTypes
import Logging
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PlatformRedis
import PlatformTesting
import ServiceAuth
import JWTKit
import Testing
import ServiceWorlds

/// `/auth/me/access` against the real Core, PostgreSQL and Redis.
@Suite struct AccessTests {
    struct World: Sendable {
        let auth: AuthHarness
        let core: RunningDaemon
        let admin: ServiceHTTPClient
        let company: UUID
        let user: UUID
        let membership: UUID
        let access: String

        func me(_ org: String?) async throws -> TestResponse {
            var headers = [("authorization", "Bearer \(access)")]
            if let org { headers.append(("x-org", org)) }
            return try await TestHTTP.get(auth.daemon.publicURL! + "/auth/me/access", headers: headers)
        }

        func sql(_ statement: String, _ parameters: [String?] = []) async throws {
            _ = try await LibPQConnection.run { [database = auth.database] in
                try LibPQConnection(settings: database.admin).execute(statement, parameters: parameters)
            }
        }

        func coreWrite(_ method: HTTPRequest.Method, _ path: String, _ body: [String: String]) async throws {
            let reply = try await admin.send(method, path, json: body, headers: [("idempotency-key", UUID().uuidString)])
            guard reply.status == 200 else { throw TestFailure("core \(path): \(reply.status)") }
        }

        /// The same user signed in again: a new session (nothing of it in Auth's memory yet).
        func signedInAgain() async throws -> World {
            let login = try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/login", headers: [("content-type", "application/json")],
                                                body: #"{"email":"ada@acme.test","password":"pw-pw-pw"}"#)
            let token = try #require(try login.json()["access_token"] as? String)
            return World(auth: auth, core: core, admin: admin, company: company, user: user, membership: membership, access: token)
        }

        /// Stops Auth, then Core; throws the first failure.
        func stop() async throws { try await shutdownAll([auth.daemon, core]) }
    }

    /// Core with Basic (core_app) and a Finance add-on; Acme on both; Ada an Acme member with
    /// grants for core_app, finance and market and a role with permissions in each. Stopped after
    /// `body`, even when it throws.
    @discardableResult
    func world<Value>(redis: String = TestEnvironment.redisURL, _ body: (World) async throws -> Value) async throws -> Value {
        let world = try await startWorld(redis: redis)
        // Two daemons one after the other, each bounded at 45 s by its own shutdown.
        return try await withStopping(world, within: .seconds(100), stop: { try await $0.stop() }, body)
    }

    /// Starts the world of `world(redis:_:)`; what it started is stopped again if a later step fails.
    private func startWorld(redis: String) async throws -> World {
        let coreHarness = try await CoreHarness.start()
        let core = coreHarness.daemon
        let auth: AuthHarness
        do {
            auth = try await AuthHarness.start(coreHarness.authEnvironment.merging(["REDIS_URL": redis, "ACCESS_TOKEN_TTL": "15m"]) { $1 },
                                               core: coreHarness.coreKey)
        } catch {
            try? await core.shutdown()
            throw error
        }
        let admin = await coreHarness.adminClient()
        let company = UUID(), user = UUID(), membership = UUID(), role = UUID()
        let world0 = World(auth: auth, core: core, admin: admin, company: company, user: user, membership: membership, access: "")
        do {
            for module in ["core_app", "finance", "market"] {
                try await world0.coreWrite(.post, "/internal/v1/catalog/modules", ["key": module, "name": module])
            }
            let basic = try await admin.send(.post, "/internal/v1/catalog/packages", json: CatalogInput(key: "basic", name: "Basic", modules: ["core_app"]),
                                             headers: [("idempotency-key", UUID().uuidString)])
            #expect(basic.status == 200)
            try await world0.coreWrite(.post, "/internal/v1/catalog/addons", ["key": "finance_addon", "name": "F", "module": "finance"])
            try await world0.coreWrite(.put, "/internal/v1/companies/\(company)/subscription",
                                       ["package_key": "basic", "status": "active", "period_start": "2026-01-01T00:00:00Z"])
            try await world0.coreWrite(.put, "/internal/v1/companies/\(company)/addons/finance_addon",
                                       ["status": "active", "period_start": "2026-01-01T00:00:00Z"])

            let hash = try await PasswordHasher(parameters: .init(memoryKiB: 8192, iterations: 1)).hash("pw-pw-pw")
            try await world0.sql("INSERT INTO users (id, email, password_hash) VALUES ($1, 'ada@acme.test', $2)", [user.uuidString, hash])
            try await world0.sql("INSERT INTO companies (id, slug, name, status) VALUES ($1, 'acme', 'Acme', 'approved')", [company.uuidString])
            try await world0.sql("INSERT INTO memberships (id, user_id, company_id) VALUES ($1, $2, $3)",
                                 [membership.uuidString, user.uuidString, company.uuidString])
            try await world0.sql("""
                INSERT INTO roles (id, company_id, key, name, permissions)
                VALUES ($1, $2, 'reader', 'Reader', ARRAY['core_app.projects.read', 'finance.invoices.read', 'market.listings.read'])
                """, [role.uuidString, company.uuidString])
            try await world0.sql("INSERT INTO membership_roles VALUES ($1, $2)", [membership.uuidString, role.uuidString])
            for module in ["core_app", "finance", "market"] {
                try await world0.sql("INSERT INTO membership_module_grants VALUES ($1, $2)", [membership.uuidString, module])
            }
            #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
            // Core's entitlement signals reach Auth through its outbox, later under load: wait
            // until Auth knows Core's version, or a test could see a cache_version_current failure.
            let settled = try await eventually(within: .seconds(30)) {
                let reply = try await auth.call("POST", "/internal/v1/access/explain",
                                                body: #"{"user_id":"\#(user)","company":"acme","module":"finance"}"#)
                return try reply.json()["first_failure"] == nil
            }
            guard settled else { throw TestFailure("Core's entitlement signal did not reach Auth within 30 s") }
            let login = try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/login", headers: [("content-type", "application/json")],
                                                body: #"{"email":"ada@acme.test","password":"pw-pw-pw"}"#)
            let access = try #require(try login.json()["access_token"] as? String)
            return World(auth: auth, core: core, admin: admin, company: company, user: user, membership: membership, access: access)
        } catch {
            try? await world0.stop()
            throw error
        }
    }

    func modules(_ response: TestResponse) throws -> [String] {
        (try response.json()["modules"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
    }

    @Test func accessIsEntitledTimesGrantedAndFollowsCoreWithinASecond() async throws {
        try await world { world in
            let first = try await world.me("acme")
            #expect(first.status == 200, "\(first.body)")
            #expect(try modules(first) == ["core_app", "finance"])  // market is granted but not entitled
            let body = try first.json()
            #expect(body["permissions"] as? [String] == ["core_app.projects.read", "finance.invoices.read"])
            #expect(body["core_app_visible"] as? Bool == true)
            #expect(try await world.me(world.company.uuidString).status == 200)  // x-org by id too

            // Admin cancels Basic in Core: Auth's answer follows (outbox → signal → new cache key).
            let cancel = try await world.admin.send(.post, "/internal/v1/companies/\(world.company)/subscription/cancel", json: ["reason": "test"],
                                                    headers: [("idempotency-key", UUID().uuidString)])
            #expect(cancel.status == 200)
            #expect(try await eventually(within: .seconds(1)) { try modules(try await world.me("acme")) == ["finance"] })
            let all = try await TestHTTP.get(world.auth.daemon.publicURL! + "/auth/me/access", headers: [("authorization", "Bearer \(world.access)")])
            #expect((try all.json()["companies"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func redisDownChangesSpeedNotAnswers() async throws {
        try await world(redis: "redis://127.0.0.1:\(TestEnvironment.freePort())") { world in
            #expect(try modules(try await world.me("acme")) == ["core_app", "finance"])
            try await world.coreWrite(.post, "/internal/v1/companies/\(world.company)/subscription/cancel", ["reason": "test"])
            #expect(try await eventually(within: .seconds(2)) { try modules(try await world.me("acme")) == ["finance"] })
            let metrics = try await TestHTTP.get(world.auth.daemon.managementURL + "/metrics").body
            #expect((metricValue(metrics, #"kisum_auth_access_cache_total{outcome="error"}"#) ?? 0) >= 1)
            #expect(metricValue(metrics, #"kisum_auth_access_cache_total{outcome="hit"}"#) == nil)
            let ready = try await TestHTTP.get(world.auth.daemon.managementURL + "/ready")
            #expect(ready.status == 200)  // Redis is optional for Auth: slower, still serving
        }
    }

    @Test func aCorruptedCacheEntryIsDiscardedAndCoreDownFailsClosed() async throws {
        try await world { world in
            #expect(try modules(try await world.me("acme")) == ["core_app", "finance"])

            // Overwrite every cached access entry with a forged value that claims everything.
            // Generous timeouts: this client only sets the scene, on a machine the whole suite loads.
            var configuration = RedisConfiguration(url: TestEnvironment.redisURL)!
            configuration.connectTimeout = .seconds(5)
            configuration.commandTimeout = .seconds(5)
            let redis = RedisClient(configuration: configuration, metrics: PlatformMetrics(), logger: .init(label: "test"))
            let keys = try await redis.send(RedisCommand("KEYS", ["access:v3:\(world.company.uuidString.lowercased()):*"]))
            guard case .array(let found) = keys else { Issue.record("no cache keys"); return }
            #expect(!found.isEmpty)
            for key in found.compactMap(\.string) {
                try await redis.set(key, Array(String(repeating: "x", count: 32).utf8) + Array(#"{"modules":[{"key":"ai"}]}"#.utf8))
            }
            // A new session is not in Auth's memory: its answer goes through the cache.
            #expect(try modules(try await world.signedInAgain().me("acme")) == ["core_app", "finance"])
            let metrics = try await TestHTTP.get(world.auth.daemon.managementURL + "/metrics").body
            #expect((metricValue(metrics, #"kisum_auth_access_cache_total{outcome="corrupt"}"#) ?? 0) >= 1)

            // Core goes away. Cached versions still answer; a new access version cannot be computed: 503.
            try await world.core.shutdown()
            #expect(try await world.me("acme").status == 200)
            try await world.sql("UPDATE memberships SET access_version = access_version + 1 WHERE id = $1", [world.membership.uuidString])
            // A change made outside Auth reaches its memory through the feed, within the bound.
            #expect(try await eventually(within: .seconds(1)) { try await world.me("acme").status == 503 })
            let closed = try await world.me("acme")
            #expect(closed.status == 503)
            #expect(closed.errorCode == "entitlements_unavailable")
            let audited = try await world.auth.database.rows("SELECT target FROM audit_events WHERE action = 'access_aggregation'")
            #expect(audited.first?[0] == world.company.uuidString.lowercased())
        }
    }

    @Test func answersComeFromMemoryAndThisInstancesWritesShowAtOnce() async throws {
        try await world { world in
            // Kept after the first answer (unless the setup's own events were still arriving: asked again).
            func answeredFromMemory() async throws -> Double {
                metricValue(try await TestHTTP.get(world.auth.daemon.managementURL + "/metrics").body, "kisum_auth_access_memory_answers_total") ?? 0
            }
            #expect(try modules(try await world.me("acme")) == ["core_app", "finance"])
            // Memory answers only while the pump completes passes: under a loaded cluster (the whole
            // suite) that may take a while, and meanwhile the database answers. Correctness never waits.
            #expect(try await eventually(within: .seconds(15)) {
                let kept = try modules(try await world.me("ACME ")) == ["core_app", "finance"]  // x-org normalised
                guard kept else { return false }
                return try await answeredFromMemory() >= 1
            })

            // Changed by an operator's SQL: the feed brings it to memory within its bound.
            try await world.sql("DELETE FROM membership_module_grants WHERE membership_id = $1 AND module_key = 'finance'", [world.membership.uuidString])
            try await world.sql("UPDATE memberships SET access_version = access_version + 1 WHERE id = $1", [world.membership.uuidString])
            #expect(try await eventually(within: .seconds(1)) { try modules(try await world.me("acme")) == ["core_app"] })
            let before = try await answeredFromMemory()
            #expect(try await eventually(within: .seconds(15)) {
                let changed = try modules(try await world.me("acme")) == ["core_app"]
                guard changed else { return false }
                return try await answeredFromMemory() > before
            })

            // Through this instance's admin route: the write returns once memory shows it, so the
            // very next request is refused.
            let revoked = try await AdministrationTests().json("POST", "/internal/v1/users/\(world.user)/sessions/revoke-all", #"{"reason":"test"}"#, world)
            #expect(revoked.status == 200, "\(revoked.body)")
            let refused = try await world.me("acme")
            #expect(refused.status == 401)
            #expect(refused.errorCode == "session_revoked")
        }
    }

    @Test func businessBackendsGetOneDecisionAndRevocationIsImmediate() async throws {
        try await world { world in
            let claims = try await world.auth.verifyWithJWKS(world.access)
            let session = claims.sid
            func context(_ company: String) async throws -> [String: Any] {
                let reply = try await world.auth.call("POST", "/internal/v1/access-context", as: "finance",
                                                      body: #"{"session_id":"\#(session)","user_id":"\#(world.user)","company":"\#(company)"}"#)
                #expect(reply.status == 200, "\(reply.body)")
                return try reply.json()
            }
            let allowed = try await context("acme")
            #expect(allowed["allowed"] as? Bool == true)
            #expect(((allowed["access"] as? [String: Any])?["permissions"] as? [String])?.contains("finance.invoices.read") == true)
            #expect(try await context("elsewhere")["reason"] as? String == "not_a_member")
            // Admin may not use the business route, and business backends may not revoke.
            #expect(try await world.auth.call("POST", "/internal/v1/access-context", as: "admin",
                                              body: #"{"session_id":"\#(session)","user_id":"\#(world.user)","company":"acme"}"#).status == 403)
            #expect(try await world.auth.call("POST", "/internal/v1/sessions/\(session)/revoke", as: "finance", body: "{}").status == 403)

            // Invalidate: the access version moves, the next answer is recomputed.
            let invalidate = try await world.auth.call("POST", "/internal/v1/access/invalidate", body: #"{"company_id":"\#(world.company)"}"#)
            #expect(try invalidate.json()["memberships"] as? Int == 1)
            #expect(((try await context("acme"))["access"] as? [String: Any])?["access_version"] as? Int == 2)

            let listed = try await world.auth.call("GET", "/internal/v1/users/\(world.user)/sessions")
            #expect((try listed.json()["sessions"] as? [[String: Any]])?.count == 1)
            let revoke = try await world.auth.call("POST", "/internal/v1/sessions/\(session)/revoke", body: #"{"reason":"test"}"#)
            #expect(revoke.status == 200)
            // Refused from the moment the revoke returned: no waiting for caches.
            let after = try await context("acme")
            #expect(after["allowed"] as? Bool == false)
            #expect(after["reason"] as? String == "session_revoked")
            #expect(try await world.me("acme").status == 401)
        }
    }

    @Test func explainNamesTheFirstFailingCheck() async throws {
        try await world { world in
            func explain(_ module: String, _ permission: String? = nil) async throws -> [String: Any] {
                let permissionField = permission.map { #","permission":"\#($0)""# } ?? ""
                let reply = try await world.auth.call("POST", "/internal/v1/access/explain",
                                                      body: #"{"user_id":"\#(world.user)","company":"acme","module":"\#(module)"\#(permissionField)}"#)
                #expect(reply.status == 200, "\(reply.body)")
                return try reply.json()
            }
            let fine = try await explain("finance", "finance.invoices.read")
            #expect(fine["first_failure"] == nil)
            #expect((fine["checks"] as? [[String: Any]])?.compactMap { $0["name"] as? String }.first == "user_active")
            #expect(try await explain("market")["first_failure"] as? String == "company_entitled")
            #expect(try await explain("finance", "finance.payroll.run")["first_failure"] as? String == "permission_present")
            try await world.sql("UPDATE companies SET status = 'suspended' WHERE id = $1", [world.company.uuidString])
            #expect(try await explain("finance")["first_failure"] as? String == "company_approved")
        }
    }

    @Test func inactiveCompaniesNonMembersAndDelegations() async throws {
        try await world { world in
            let stranger = try await world.me("someone-else")
            #expect(stranger.status == 403)
            #expect(stranger.errorCode == "x_org_forbidden")

            // A colleague delegates what they hold (and something they do not) to Ada.
            let colleague = UUID(), colleagueMembership = UUID(), approver = UUID()
            try await world.sql("INSERT INTO users (id, email, password_hash) VALUES ($1, 'bo@acme.test', 'x')", [colleague.uuidString])
            try await world.sql("INSERT INTO memberships (id, user_id, company_id) VALUES ($1, $2, $3)",
                                [colleagueMembership.uuidString, colleague.uuidString, world.company.uuidString])
            try await world.sql("INSERT INTO roles (id, company_id, key, name, permissions) VALUES ($1, $2, 'approver', 'Approver', ARRAY['finance.invoices.approve'])",
                                [approver.uuidString, world.company.uuidString])
            try await world.sql("INSERT INTO membership_roles VALUES ($1, $2)", [colleagueMembership.uuidString, approver.uuidString])
            try await world.sql("""
                INSERT INTO delegations (id, company_id, from_membership, to_membership, permissions, expires_at)
                VALUES ($1, $2, $3, $4, ARRAY['finance.invoices.approve', 'finance.payroll.run'], now() + interval '1 hour'),
                       ($5, $2, $3, $4, ARRAY['finance.reports.export'], now() - interval '1 hour')
                """, [UUID().uuidString, world.company.uuidString, colleagueMembership.uuidString, world.membership.uuidString, UUID().uuidString])
            try await world.sql("UPDATE memberships SET access_version = access_version + 1 WHERE id = $1", [world.membership.uuidString])
            let lent = ["core_app.projects.read", "finance.invoices.approve", "finance.invoices.read"]
            #expect(try await eventually(within: .seconds(1)) { try await world.me("acme").json()["permissions"] as? [String] == lent })

            // An operator's SQL reaches this Auth's memory through the feed: within the second.
            try await world.sql("UPDATE companies SET status = 'suspended' WHERE id = $1", [world.company.uuidString])
            #expect(try await eventually(within: .seconds(1)) { try await world.me("acme").status == 403 })
            let suspended = try await world.me("acme")
            #expect(suspended.status == 403)
            #expect(suspended.errorCode == "membership_inactive")
        }
    }
}

struct CatalogInput: Encodable, Sendable {
    let key: String
    let name: String
    let modules: [String]
}
