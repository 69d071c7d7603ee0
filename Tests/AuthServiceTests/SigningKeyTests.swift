import AccessControl
import AuthService
import Foundation
import PlatformDaemon
import PlatformPostgres
import PlatformTesting
import ServiceAuth
import Testing
import ServiceWorlds

@Suite struct SigningKeyTests {
    func jwksKids(_ auth: AuthHarness) async throws -> Set<String> {
        let jwks = try await TestHTTP.get(auth.daemon.publicURL! + "/.well-known/jwks.json")
        let keys = try #require(try jwks.json()["keys"] as? [[String: Any]])
        return Set(keys.compactMap { $0["kid"] as? String })
    }

    @Test func firstStartCreatesAnEncryptedKeyAndPublishesIt() async throws {
        try await AuthHarness.with(seedKey: false) { auth in
            #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
            let jwks = try await TestHTTP.get(auth.daemon.publicURL! + "/.well-known/jwks.json")
            #expect(jwks.header("cache-control") == "public, max-age=1")
            let key = try #require((try jwks.json()["keys"] as? [[String: Any]])?.first)
            #expect(key["kty"] as? String == "RSA")
            #expect(key["alg"] as? String == "RS256")
            #expect(key["d"] == nil)  // never the private part

            let (token, kid) = try await auth.signWithActiveKey(ttl: .seconds(60))
            #expect(key["kid"] as? String == kid)
            let claims = try await auth.verifyWithJWKS(token)
            #expect(!claims.sid.isEmpty)

            let stored = try await LibPQConnection.run { [database = auth.database] in
                try LibPQConnection(settings: database.admin).execute("SELECT private_key_encrypted::text FROM signing_keys")
            }
            #expect(stored.count == 1)
            #expect(stored.allSatisfy { !($0[0] ?? "").contains("BEGIN") })
        }
    }

    @Test func rotationPublishesFirstSignsLaterAndRetiresAfterTokensExpire() async throws {
        // A publish delay long enough for the checks below on a loaded machine.
        try await AuthHarness.with(["KEY_PUBLISH_DELAY": "6s", "ACCESS_TOKEN_TTL": "2s"]) { auth in
            #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
            let (oldToken, oldKid) = try await auth.signWithActiveKey(ttl: .seconds(30))

            let rotate = try await auth.call("POST", "/internal/v1/keys/rotate", body: "{}")
            #expect(rotate.status == 200, "\(rotate.body)")
            let newKid = try #require(try rotate.json()["kid"] as? String)
            // One rotation at a time; published at once, not signing yet.
            #expect(try await auth.call("POST", "/internal/v1/keys/rotate", body: "{}").status == 409)
            let published = try await jwksKids(auth)
            #expect(published == [oldKid, newKid], "published \(published); old \(oldKid), new \(newKid)")
            #expect(try await auth.signWithActiveKey().kid == oldKid)
            #expect(try await eventually(within: .seconds(5)) {
                metricValue(try await TestHTTP.get(auth.daemon.managementURL + "/metrics").body, "kisum_auth_signing_keys_published") == 2
            })
            let audited = try await LibPQConnection.run { [database = auth.database] in
                try LibPQConnection(settings: database.admin).execute("SELECT action, target FROM audit_events")
            }
            #expect(audited.contains { $0[0] == "key_rotation" && $0[1] == newKid })

            // After the publish delay the new key signs; the old one is still published.
            #expect(try await eventually(within: .seconds(20)) { try await auth.signWithActiveKey().kid == newKid })
            #expect(try await jwksKids(auth) == [oldKid, newKid])
            _ = try await auth.verifyWithJWKS(oldToken)
            // The listing is the key ring's view, reloaded by the key job after the database moved on.
            func states() async throws -> [String: String] {
                let listing = try await auth.call("GET", "/internal/v1/keys")
                return Dictionary(uniqueKeysWithValues: (try listing.json()["keys"] as? [[String: Any]] ?? []).map {
                    ($0["kid"] as? String ?? "", $0["state"] as? String ?? "")
                })
            }
            let moved = try await eventually(within: .seconds(5)) { try await states() == [oldKid: "retiring", newKid: "active"] }
            let listed = try await states()
            #expect(moved, "the key listing still says \(listed)")

            // Token TTL (2 s) + JWKS cache (1 s) later the old key is retired.
            #expect(try await eventually(within: .seconds(20)) { try await jwksKids(auth) == [newKid] })
            await #expect(throws: (any Error).self) { _ = try await auth.verifyWithJWKS(oldToken) }
        }
    }

    @Test func emergencyRotationRetiresTheOldKeyAtOnce() async throws {
        try await AuthHarness.with { auth in
            #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
            let (token, oldKid) = try await auth.signWithActiveKey(ttl: .seconds(60))
            let rotate = try await auth.call("POST", "/internal/v1/keys/rotate", body: #"{"emergency":true}"#)
            #expect(rotate.status == 200)
            let newKid = try #require(try rotate.json()["kid"] as? String)
            #expect(try await jwksKids(auth) == [newKid])
            #expect(try await auth.signWithActiveKey().kid == newKid)
            #expect(newKid != oldKid)
            await #expect(throws: (any Error).self) { _ = try await auth.verifyWithJWKS(token) }
            // Only Admin manages keys.
            #expect(try await auth.call("POST", "/internal/v1/keys/rotate", as: "core", body: "{}").status == 403)
        }
    }
}

@Suite struct RotateKeyCommandTests {
    @Test func kisumOpsRotatesThroughTheInternalRoute() async throws {
        try await AuthHarness.with(["KEY_PUBLISH_DELAY": "30s", "JWKS_CACHE_TTL": "1s"]) { auth in
            #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
            let keyFile = TestEnvironment.scratch.appendingPathComponent(TestEnvironment.uniqueName("adminkey"))
            try auth.admin.privateBase64.write(to: keyFile, atomically: true, encoding: .utf8)
            let ops = TestEnvironment.binary("kisum-ops").path
            let rotated = try await ChildProcess.run(ops, ["auth", "rotate-key", "--url", auth.daemon.managementURL, "--key-file", keyFile.path])
            #expect(rotated.status == 0, "\(rotated.output)")
            #expect(rotated.output.contains("\"kid\""))
            let listed = try await ChildProcess.run(ops, ["auth", "keys", "--url", auth.daemon.managementURL, "--key-file", keyFile.path])
            #expect(listed.output.contains("\"pending\""))
            #expect(listed.output.contains("\"active\""))
            let wrongKey = TestEnvironment.scratch.appendingPathComponent(TestEnvironment.uniqueName("otherkey"))
            try ServiceKey().privateBase64.write(to: wrongKey, atomically: true, encoding: .utf8)
            let refused = try await ChildProcess.run(ops, ["auth", "keys", "--url", auth.daemon.managementURL, "--key-file", wrongKey.path])
            #expect(refused.status != 0)
        }
    }
}
