import Crypto
import Foundation
import JWTKit
import NIOConcurrencyHelpers
import PlatformKit

/// Verifies service credentials on a callee: EdDSA signature by a key trusted for the
/// claimed caller, `aud` equal to this service, unexpired, issued recently (lifetime at
/// most 60 s plus skew), `kind` = service, and the caller allowed for the route group.
public struct ServiceCredentialVerifier: Sendable {
    public let service: String
    public let maxLifetime: TimeInterval
    public let clockSkew: TimeInterval
    /// kid → (caller, single-key collection): an unknown kid is refused outright rather
    /// than falling back to a default key.
    private let verifiers: [String: (caller: String, keys: JWTKeyCollection)]
    /// Credentials already verified (callers reuse one for most of its minute), so the
    /// signature is checked once per credential, not once per request. Bounded.
    private let verified = NIOLockedValueBox<[String: (caller: String, expires: Date)]>([:])
    private static let verifiedLimit = 4096

    public init(service: String, trusted: TrustedServiceKeys, maxLifetime: TimeInterval = 60, clockSkew: TimeInterval = 30) async {
        self.service = service
        self.maxLifetime = maxLifetime
        self.clockSkew = clockSkew
        var verifiers: [String: (caller: String, keys: JWTKeyCollection)] = [:]
        for (caller, publicKeys) in trusted.keys {
            for publicKey in publicKeys {
                let kid = ServiceCredentialSigner.kid(service: caller, keyID: ServiceKey.keyID(for: publicKey))
                let collection = await JWTKeyCollection().add(eddsa: EdDSA.PublicKey(backing: publicKey), kid: JWKIdentifier(string: kid))
                verifiers[kid] = (caller, collection)
            }
        }
        self.verifiers = verifiers
    }

    /// The verified calling service, or a `ServiceAuthError`.
    public func verify(_ token: String, allowedCallers: Set<String>, now: Date = Date()) async throws(ServiceAuthError) -> String {
        if let hit = verified.withLockedValue({ $0[token] }), hit.expires > now {
            guard allowedCallers.contains(hit.caller) else { throw .init(.callerNotAllowed, "\(hit.caller) may not call this route") }
            return hit.caller
        }
        let caller = try await verifySignatureAndClaims(token, now: now)
        guard allowedCallers.contains(caller) else { throw .init(.callerNotAllowed, "\(caller) may not call this route") }
        return caller
    }

    private func verifySignatureAndClaims(_ token: String, now: Date) async throws(ServiceAuthError) -> String {
        guard let header = JWTHeaderPeek.fields(of: token) else { throw .init(.invalid, "not a JWT") }
        guard header.alg == "EdDSA" else { throw .init(.invalid, "not a service credential (alg)") }
        guard let kid = header.kid, let verifier = verifiers[kid] else { throw .init(.invalid, "unknown signing key") }
        let claims: ServiceTokenClaims
        do {
            claims = try await verifier.keys.verify(token, as: ServiceTokenClaims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw .init(.expired, "credential expired")
        } catch {
            throw .init(.invalid, "signature or claims invalid")
        }
        guard claims.kind == ServiceTokenClaims.kindValue else { throw .init(.invalid, "not a service credential (kind)") }
        guard claims.iss.value == verifier.caller, claims.sub.value == verifier.caller else {
            throw .init(.invalid, "credential names a different caller than its key")
        }
        guard claims.aud.value == [service] else { throw .init(.wrongAudience, "credential is for another service") }
        let issued = claims.iat.value, expires = claims.exp.value
        guard issued.timeIntervalSince(now) <= clockSkew, expires.timeIntervalSince(issued) <= maxLifetime + 1 else {
            throw .init(.invalid, "credential lifetime out of bounds")
        }
        guard expires > now else { throw .init(.expired, "credential expired") }
        verified.withLockedValue { cache in
            if cache.count >= Self.verifiedLimit { cache = cache.filter { $0.value.expires > now } }
            if cache.count >= Self.verifiedLimit { cache.removeAll(keepingCapacity: true) }
            cache[token] = (verifier.caller, expires)
        }
        return verifier.caller
    }
}

/// Why a service credential was refused.
public struct ServiceAuthError: CodedError, Equatable {
    public typealias Reason = ErrorCode<ServiceAuthError>

    public let reason: Reason
    public let message: String
    public var code: Reason { reason }

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}

extension ErrorCode where Domain == ServiceAuthError {
    public static let missing = Self("missing")
    public static let invalid = Self("invalid")
    public static let expired = Self("expired")
    public static let wrongAudience = Self("wrong_audience")
    public static let callerNotAllowed = Self("caller_not_allowed")
}
