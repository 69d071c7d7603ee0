import AccessControl
import AuthService
import Foundation
import JWTKit
import Logging
import PlatformDaemon
import PlatformKit
import PlatformTesting
import ServiceAuth
import Testing
import ServiceWorlds

/// The verifier every service other than Auth uses, against the real Auth's JWKS.
@Suite struct JWKSVerifierTests {
    func verifier(_ auth: AuthHarness, audience: String = "kisum-test", url: String? = nil, cacheTTL: Duration = .seconds(60)) -> JWKSVerifier {
        JWKSVerifier(jwksURL: url ?? auth.daemon.publicURL! + "/.well-known/jwks.json", issuer: AuthHarness.issuer, audience: audience,
                     cacheTTL: cacheTTL, minimumRefreshInterval: .milliseconds(100), logger: Logger(label: "test"))
    }

    func code(_ body: () async throws -> AccessTokenClaims) async -> String? {
        do { _ = try await body(); return nil } catch let error as PlatformError { return error.code.name } catch { return "other" }
    }

    @Test func verifiesAuthsTokensAndRefusesEverythingElse() async throws {
        try await AuthHarness.with { auth in
            #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
            let (token, _) = try await auth.signWithActiveKey(ttl: .seconds(60))
            let verifier = verifier(auth)
            let claims = try await verifier.verify(token)
            #expect(UUID(uuidString: claims.sid) != nil)

            #expect(await code { try await self.verifier(auth, audience: "someone-else").verify(token) } == "token_invalid")
            #expect(await code { try await verifier.verify("a.b.c") } == "token_invalid")
            // A key that is not in the JWKS, even with a kid that looks right.
            let material = try await SigningKeyMaterial.generate()
            let keys = await JWTKeyCollection().add(rsa: try Insecure.RSA.PrivateKey(pem: material.privatePEM), digestAlgorithm: .sha256,
                                                    kid: JWKIdentifier(string: material.kid))
            let forged = try await keys.sign(AccessTokenClaims(issuer: AuthHarness.issuer, audience: "kisum-test", userID: UUID(),
                                                               sessionID: UUID(), issuedAt: Date(), ttl: .seconds(60)),
                                             kid: JWKIdentifier(string: material.kid))
            #expect(await code { try await verifier.verify(forged) } == "key_unknown")
            // Signed by the published key, but past its expiry: the client should refresh.
            let (expired, _) = try await auth.signWithActiveKey(ttl: .seconds(-30))
            #expect(await code { try await verifier.verify(expired) } == "token_expired")
            // alg "none" with a published kid.
            let header = Data(#"{"alg":"none","kid":"\#(JWTHeaderPeek.fields(of: token)?.kid ?? "")"}"#.utf8).base64EncodedString()
            let parts = token.split(separator: ".")
            #expect(await code { try await verifier.verify("\(header).\(parts[1]).") } == "token_invalid")
        }
    }

    /// Auth's own routes (the key ring, not a JWKS) name what is wrong with a token the same way.
    @Test func authsOwnRoutesNameWhatIsWrongWithAToken() async throws {
        try await AuthHarness.with { auth in
            #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
            func code(_ token: String?) async throws -> String? {
                try await TestHTTP.get(auth.daemon.publicURL! + "/auth/me", headers: token.map { [("authorization", "Bearer \($0)")] } ?? [])
                    .errorCode
            }
            #expect(try await code(nil) == "token_missing")
            #expect(try await code("not-a-token") == "token_invalid")
            let (expired, _) = try await auth.signWithActiveKey(ttl: .seconds(-30))
            #expect(try await code(expired) == "token_expired")
            let material = try await SigningKeyMaterial.generate()
            let keys = await JWTKeyCollection().add(rsa: try Insecure.RSA.PrivateKey(pem: material.privatePEM), digestAlgorithm: .sha256,
                                                    kid: JWKIdentifier(string: material.kid))
            let unknown = try await keys.sign(AccessTokenClaims(issuer: AuthHarness.issuer, audience: "kisum-test", userID: UUID(),
                                                                sessionID: UUID(), issuedAt: Date(), ttl: .seconds(60)),
                                              kid: JWKIdentifier(string: material.kid))
            #expect(try await code(unknown) == "key_unknown")
            // Valid, but no such session.
            let (valid, _) = try await auth.signWithActiveKey(ttl: .seconds(60))
            #expect(try await code(valid) == "session_revoked")
            let badOrg = try await TestHTTP.get(auth.daemon.publicURL! + "/auth/me/access", headers: [("authorization", "Bearer \(valid)"),
                                                                                                      ("x-org", "not a slug!")])
            #expect(badOrg.status == 400 && badOrg.errorCode == "x_org_missing")
        }
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        try await AuthHarness.with { auth in
            #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
            let (token, _) = try await auth.signWithActiveKey(ttl: .seconds(60))
            func fetches() async throws -> Double {
                let metrics = try await TestHTTP.get(auth.daemon.managementURL + "/metrics").body
                return metricValue(metrics, #"kisum_http_requests_total{listener="public",route="/.well-known/jwks.json",method="GET",status="200"}"#) ?? 0
            }
            let before = try await fetches()
            let verifier = verifier(auth)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { _ = try await verifier.verify(token) } }
                try await group.waitForAll()
            }
            #expect(try await fetches() - before == 1)
        }
    }

    @Test func aNewKeyIsPickedUpAndAnAbsentAuthFailsClosedOnlyWithoutKeys() async throws {
        let auth = try await AuthHarness.start()
        #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
        let verifier = verifier(auth, cacheTTL: .milliseconds(300))
        let (first, firstKid) = try await auth.signWithActiveKey(ttl: .seconds(60))
        _ = try await verifier.verify(first)
        #expect(try await auth.call("POST", "/internal/v1/keys/rotate", body: "{}").status == 200)
        #expect(try await eventually(within: .seconds(10)) { try await auth.signWithActiveKey().kid != firstKid })
        let (second, _) = try await auth.signWithActiveKey(ttl: .seconds(60))
        _ = try await verifier.verify(second)  // unknown kid → refetched

        let url = auth.daemon.publicURL! + "/.well-known/jwks.json"
        try await auth.stop()
        try await Task.sleep(for: .milliseconds(500))  // past the cache time: a refetch is tried and fails
        _ = try await verifier.verify(second)  // the last good JWKS keeps serving (bounded by the stale limit)
        let cold = self.verifier(auth, url: url)
        #expect(await code { try await cold.verify(second) } == "jwks_unavailable")
    }
}
