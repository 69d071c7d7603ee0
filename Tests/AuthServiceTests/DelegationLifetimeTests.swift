import Foundation
import PlatformDaemon
import PlatformTesting
import Testing
import ServiceWorlds

/// A delegation lends access only while it is live and its delegator is an active user, cached
/// or not (issue: expired delegations stayed granted until the cache expired; a disabled
/// delegator's delegations kept working).
@Suite struct DelegationLifetimeTests {
    let admin = AdministrationTests()

    /// Bob, a second Acme member with no roles, signed in; Ada's reader role holds finance.invoices.read.
    func bob(_ world: AccessTests.World) async throws -> (world: AccessTests.World, membership: String) {
        let bob = try #require(try await admin.json("POST", "/internal/v1/users", #"{"email":"bob@acme.test","password":"bob-password-1"}"#, world)
            .json()["id"] as? String)
        let membership = try #require(try await admin.json("POST", "/internal/v1/memberships",
            #"{"user_id":"\#(bob)","company_id":"\#(world.company)","roles":[],"modules":["core_app","finance"]}"#, world).json()["id"] as? String)
        let login = try await TestHTTP.send("POST", world.auth.daemon.publicURL! + "/auth/login", headers: [("content-type", "application/json")],
                                            body: #"{"email":"bob@acme.test","password":"bob-password-1"}"#)
        let bobWorld = AccessTests.World(auth: world.auth, core: world.core, admin: world.admin, company: world.company, user: UUID(),
                                         membership: UUID(), access: try #require(try login.json()["access_token"] as? String))
        return (bobWorld, membership)
    }

    @Test func anExpiredDelegationEndsWithoutWaitingForTheCache() async throws {
        try await AccessTests().world { world in  // Redis on: ACCESS_CACHE_TTL is 10 minutes
            let (bobWorld, bobMembership) = try await bob(world)
            #expect(try await admin.permissions(bobWorld) == [])
            try await world.sql("""
                INSERT INTO delegations (id, company_id, from_membership, to_membership, permissions, expires_at)
                VALUES ($1, $2, $3, $4, ARRAY['finance.invoices.read'], now() + interval '4 seconds')
                """, [UUID().uuidString, world.company.uuidString, world.membership.uuidString, bobMembership])
            try await world.sql("UPDATE memberships SET access_version = access_version + 1 WHERE id = $1", [bobMembership])

            // Written outside Auth: seen once the feed brings it (within the bound), then computed and kept.
            #expect(try await eventually(within: .seconds(1)) { try await admin.permissions(bobWorld) == ["finance.invoices.read"] })
            #expect(try await admin.permissions(bobWorld) == ["finance.invoices.read"])  // served from memory or the cache
            let metrics = try await TestHTTP.get(world.auth.daemon.managementURL + "/metrics").body
            let kept = (metricValue(metrics, #"kisum_auth_access_cache_total{outcome="hit"}"#) ?? 0)
                + (metricValue(metrics, "kisum_auth_access_memory_answers_total") ?? 0)
            #expect(kept >= 1)

            // Nothing is written when the delegation runs out; the answer changes all the same
            // (before the fix the cached snapshot kept the permission for ten minutes).
            #expect(try await eventually(within: .seconds(15)) { try await admin.permissions(bobWorld) == [] })
        }
    }

    @Test func disablingADelegatorEndsWhatTheyLentAtOnce() async throws {
        try await AccessTests().world { world in
            let (bobWorld, bobMembership) = try await bob(world)
            let expires = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
            let created = try await admin.json("POST", "/internal/v1/delegations", """
                {"from_membership_id":"\(world.membership)","to_membership_id":"\(bobMembership)","permissions":["finance.invoices.read"],"expires_at":"\(expires)"}
                """, world)
            #expect(created.status == 201, "\(created.body)")
            #expect(try await admin.permissions(bobWorld) == ["finance.invoices.read"])  // cached now

            let disable = try await admin.json("POST", "/internal/v1/users/\(world.user)/status", #"{"status":"disabled","reason":"left"}"#, world)
            #expect(disable.status == 200, "\(disable.body)")
            // The delegate's cached snapshot is unreachable at once (its access version moved)...
            #expect(try await admin.permissions(bobWorld) == [])
            // ...and the computation itself refuses a disabled delegator (the view, uncached).
            try await world.sql("UPDATE memberships SET access_version = access_version + 1 WHERE id = $1", [bobMembership])
            #expect(try await admin.permissions(bobWorld) == [])

            // Re-enabling restores what they lent, at once.
            #expect(try await admin.json("POST", "/internal/v1/users/\(world.user)/status", #"{"status":"active","reason":"back"}"#, world).status == 200)
            #expect(try await admin.permissions(bobWorld) == ["finance.invoices.read"])
        }
    }
}
