import Foundation
import Crypto
import JWTKit
import ServiceAuth
import Testing

@Suite struct ServiceCredentialTests {
    let authKey = ServiceKey()
    let adminKey = ServiceKey()

    func verifier(trusting keys: [String: [ServiceKey]]) async -> ServiceCredentialVerifier {
        await ServiceCredentialVerifier(service: "core", trusted: TrustedServiceKeys(
            keys: keys.mapValues { $0.map(\.privateKey.publicKey) }))
    }

    @Test func acceptsAnAllowedCallerAndNamesIt() async throws {
        let token = try await ServiceCredentialSigner(service: "auth", key: authKey).token(for: "core")
        let caller = try await verifier(trusting: ["auth": [authKey]]).verify(token, allowedCallers: ["auth", "admin"])
        #expect(caller == "auth")
    }

    @Test func refusesACallerOutsideTheAllowlist() async throws {
        let token = try await ServiceCredentialSigner(service: "admin", key: adminKey).token(for: "core")
        let error = await #expect(throws: ServiceAuthError.self) {
            try await verifier(trusting: ["admin": [adminKey]]).verify(token, allowedCallers: ["auth"])
        }
        #expect(error?.reason == .callerNotAllowed)
    }

    @Test func aCachedCredentialStillMeetsTheAllowlistAndExpiry() async throws {
        let verifier = await verifier(trusting: ["auth": [authKey]])
        let token = try await ServiceCredentialSigner(service: "auth", key: authKey).token(for: "core")
        #expect(try await verifier.verify(token, allowedCallers: ["auth"]) == "auth")
        #expect(try await verifier.verify(token, allowedCallers: ["auth"]) == "auth")  // from the cache
        let denied = await #expect(throws: ServiceAuthError.self) { try await verifier.verify(token, allowedCallers: ["admin"]) }
        #expect(denied?.reason == .callerNotAllowed)
        let expired = await #expect(throws: ServiceAuthError.self) {
            try await verifier.verify(token, allowedCallers: ["auth"], now: Date().addingTimeInterval(120))
        }
        #expect(expired?.reason == .expired)
    }

    @Test func refusesACredentialForAnotherService() async throws {
        let token = try await ServiceCredentialSigner(service: "auth", key: authKey).token(for: "finance")
        let error = await #expect(throws: ServiceAuthError.self) {
            try await verifier(trusting: ["auth": [authKey]]).verify(token, allowedCallers: ["auth"])
        }
        #expect(error?.reason == .wrongAudience)
    }

    @Test func refusesAnExpiredCredential() async throws {
        let signer = await ServiceCredentialSigner(service: "auth", key: authKey, lifetime: 60)
        let token = try await signer.token(for: "core")
        let error = await #expect(throws: ServiceAuthError.self) {
            try await verifier(trusting: ["auth": [authKey]]).verify(token, allowedCallers: ["auth"], now: Date().addingTimeInterval(61))
        }
        #expect(error?.reason == .expired)
    }

    @Test func refusesAKeyTrustedForAnotherCaller() async throws {
        // admin's key signs a token claiming to be auth: the kid names admin's key as "auth:…",
        // which core does not trust for auth.
        let token = try await ServiceCredentialSigner(service: "auth", key: adminKey).token(for: "core")
        await #expect(throws: ServiceAuthError.self) {
            try await verifier(trusting: ["auth": [authKey], "admin": [adminKey]]).verify(token, allowedCallers: ["auth", "admin"])
        }
    }

    @Test func twoKeysPerCallerAreValidDuringRotation() async throws {
        let next = ServiceKey()
        let verifier = await verifier(trusting: ["auth": [authKey, next]])
        for key in [authKey, next] {
            let token = try await ServiceCredentialSigner(service: "auth", key: key).token(for: "core")
            #expect(try await verifier.verify(token, allowedCallers: ["auth"]) == "auth")
        }
        let retired = try await ServiceCredentialSigner(service: "auth", key: ServiceKey()).token(for: "core")
        await #expect(throws: ServiceAuthError.self) { try await verifier.verify(retired, allowedCallers: ["auth"]) }
    }

    @Test func neverAcceptsUserStyleTokens() async throws {
        // An RS256 or HS256 JWT, even one with service-looking claims, is not a service credential.
        struct Claims: JWTPayload {
            var iss: IssuerClaim, sub: SubjectClaim, aud: AudienceClaim, exp: ExpirationClaim, kind: String
            func verify(using algorithm: some JWTAlgorithm) throws {}
        }
        let claims = Claims(iss: "auth", sub: "auth", aud: .init(value: ["core"]), exp: .init(value: Date().addingTimeInterval(60)), kind: "service")
        let hmac = try await JWTKeyCollection().add(hmac: "secret-secret-secret-secret-1234", digestAlgorithm: .sha256, kid: "auth:x")
            .sign(claims, kid: "auth:x")
        let error = await #expect(throws: ServiceAuthError.self) {
            try await verifier(trusting: ["auth": [authKey]]).verify(hmac, allowedCallers: ["auth"])
        }
        #expect(error?.reason == .invalid)
        await #expect(throws: ServiceAuthError.self) {
            try await verifier(trusting: ["auth": [authKey]]).verify("not.a.jwt", allowedCallers: ["auth"])
        }
    }

    @Test func trustedKeysParse() {
        let text = "auth=\(authKey.publicBase64), admin=\(adminKey.publicBase64)"
        #expect(TrustedServiceKeys(parsing: text)?.keys.count == 2)
        #expect(TrustedServiceKeys(parsing: "auth=notbase64") == nil)
        let three = (0..<3).map { _ in "auth=\(ServiceKey().publicBase64)" }.joined(separator: ",")
        #expect(TrustedServiceKeys(parsing: three) == nil)
    }

    @Test func networkPolicyFollowsTheSpecMatrix() {
        #expect(NetworkPolicy.callers(of: "core") == ["auth", "admin"])
        #expect(NetworkPolicy.callers(of: "auth").contains("finance"))
        #expect(NetworkPolicy.callers(of: "auth").contains("admin"))
        #expect(!NetworkPolicy.callers(of: "core").contains("finance"))
        #expect(NetworkPolicy.callers(of: "finance").isEmpty)
    }
}
