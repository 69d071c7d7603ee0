import AsyncHTTPClient
import Foundation
import HTTPTypes
import JWTKit
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import PlatformKit
import ServiceAuth

/// Verifies Auth's access tokens with nothing but its JWKS, as every service other than Auth
/// does: RS256 only, a `kid` that the JWKS publishes (never a fallback key), issuer, audience
/// and expiry.
///
/// The JWKS is cached for `cacheTTL`; a token with an unknown `kid` triggers a refresh at most
/// once per `minimumRefreshInterval` (a key published since the last fetch). When Auth cannot
/// be reached the last good JWKS keeps serving for `staleLimit`, then verification fails
/// closed (`jwks_unavailable`). A valid token only proves identity: callers still ask Auth
/// whether the session is live.
public final class JWKSVerifier: Sendable {
    struct Cache: Sendable {
        var keys: JWTKeyCollection?
        var kids: Set<String> = []
        var fetchedAt: ContinuousClock.Instant?
        var lastAttempt: ContinuousClock.Instant?
        var inflight: Task<Fetched, any Error>?
    }

    /// Tokens already verified, until they expire (bounded; dropped with their key).
    struct Verified: Sendable {
        var tokens: VerifiedTokens
        /// Keys the access feed said were retired: refused even while a cached JWKS has them.
        /// Kept with the tokens, so a retirement and a token verified meanwhile cannot cross.
        var retired: Set<String> = []
    }

    public static let jwksUnavailable = PlatformError.Code("jwks_unavailable", .serviceUnavailable)

    let url: String
    let issuer: String
    let audience: String
    let cacheTTL: Duration
    let minimumRefreshInterval: Duration
    let staleLimit: Duration
    let client: HTTPClient
    let logger: Logger
    private let cache = NIOLockedValueBox(Cache())
    private let verified: NIOLockedValueBox<Verified>

    public init(jwksURL: String, issuer: String, audience: String, cacheTTL: Duration = .seconds(300),
                minimumRefreshInterval: Duration = .seconds(5), staleLimit: Duration = .seconds(3600),
                client: HTTPClient = .shared, verifiedCapacity: Int = 50_000, logger: Logger) {
        verified = NIOLockedValueBox(Verified(tokens: VerifiedTokens(capacity: verifiedCapacity)))
        self.url = jwksURL
        self.issuer = issuer
        self.audience = audience
        self.cacheTTL = cacheTTL
        self.minimumRefreshInterval = minimumRefreshInterval
        self.staleLimit = staleLimit
        self.client = client
        self.logger = logger
    }

    /// The token's claims, or `token_invalid`, `token_expired`, `key_unknown` (401) / `jwks_unavailable` (503).
    public func verify(_ token: String) async throws -> AccessTokenClaims {
        try await verifyWithKey(token).claims
    }

    /// The token's claims and the kid that signed it.
    public func verifyWithKey(_ token: String) async throws -> (claims: AccessTokenClaims, kid: String) {
        // One lock on the hot path: retiring a key removes its tokens from this cache.
        if let known = verified.withLockedValue({ $0.tokens.entry(for: token) }) {
            return (known.claims, known.kid)
        }
        guard token.utf8.count <= 8192, let header = JWTHeaderPeek.fields(of: token), header.alg == "RS256", let kid = header.kid else {
            throw PlatformError(AccessError.tokenInvalid, "The access token is not valid.")
        }
        guard !isRetired(kid) else { throw PlatformError(AccessError.keyUnknown, "The access token's signing key is not published.") }
        let keys = try await keys(for: kid)
        let claims: AccessTokenClaims
        do {
            claims = try await keys.verify(token, as: AccessTokenClaims.self)
        } catch {
            throw AccessError.refusal(verifying: error)
        }
        guard claims.iss.value == issuer, claims.aud.value.contains(audience) else {
            throw PlatformError(AccessError.tokenInvalid, "The access token is not valid.")
        }
        remember(token, claims: claims, kid: kid)
        return (claims, kid)
    }

    private func remember(_ token: String, claims: AccessTokenClaims, kid: String) {
        verified.withLockedValue { verified in
            guard !verified.retired.contains(kid) else { return }  // retired while it was being verified
            verified.tokens.remember(token, claims: claims, kid: kid)
        }
    }

    /// Refuses tokens signed by `kid` from now on, even while a cached JWKS still lists it.
    /// The next unknown kid refetches at once (an emergency rotation publishes its successor).
    public func retire(kid: String) {
        verified.withLockedValue { verified in
            verified.retired.insert(kid)
            verified.tokens.drop(kid: kid)
        }
        cache.withLockedValue { $0.lastAttempt = nil }
    }

    private func isRetired(_ kid: String) -> Bool { verified.withLockedValue { $0.retired.contains(kid) } }

    /// Whether keys are held (fetched within the stale limit); when not, one fetch is tried first
    /// (shared with any in flight, at most one per `minimumRefreshInterval`).
    public func isLoaded() async -> Bool {
        if holdsKeys() { return true }
        _ = try? await keys(for: "")  // no key has an empty kid: this only fetches
        return holdsKeys()
    }

    private func holdsKeys() -> Bool {
        let now = ContinuousClock.now
        return cache.withLockedValue { cache in cache.keys != nil && (cache.fetchedAt.map { now - $0 < staleLimit } ?? false) }
    }

    /// Keys that publish `kid`, refreshing the JWKS when it is old or does not know the kid.
    /// Concurrent callers share one fetch in flight.
    private func keys(for kid: String) async throws -> JWTKeyCollection {
        let now = ContinuousClock.now
        let retired = isRetired(kid)
        enum Plan { case serve(JWTKeyCollection), await(Task<Fetched, any Error>), fallBack }
        let plan: Plan = cache.withLockedValue { cache in
            guard !retired else { return .fallBack }
            let known = cache.kids.contains(kid), fresh = cache.fetchedAt.map { now - $0 < cacheTTL } ?? false
            if let keys = cache.keys, known, fresh { return .serve(keys) }
            if let inflight = cache.inflight { return .await(inflight) }
            guard cache.lastAttempt.map({ now - $0 >= minimumRefreshInterval }) ?? true else { return .fallBack }
            cache.lastAttempt = now
            let task = Task { try await self.fetch() }
            cache.inflight = task
            return .await(task)
        }
        switch plan {
        case .serve(let keys):
            return keys
        case .await(let task):
            do {
                let fetched = try await task.value
                cache.withLockedValue { cache in
                    if cache.inflight == task {
                        cache.inflight = nil
                        cache.keys = fetched.keys
                        cache.kids = fetched.kids
                        cache.fetchedAt = now
                    }
                }
                guard fetched.kids.contains(kid) else {
                    throw PlatformError(AccessError.keyUnknown, "The access token's signing key is not published.")
                }
                return fetched.keys
            } catch let error as PlatformError {
                throw error
            } catch {
                cache.withLockedValue { if $0.inflight == task { $0.inflight = nil } }
                logger.warning("JWKS fetch failed", metadata: ["error_type": .type(of: error), "error_detail": .detail(of: error)])
            }
        case .fallBack:
            break
        }
        // Auth unreachable (or refetched moments ago): the last good JWKS, within the stale limit.
        let (current, known, stale) = cache.withLockedValue { cache in
            (cache.keys, cache.kids.contains(kid) && !retired, cache.fetchedAt.map { now - $0 < staleLimit } ?? false)
        }
        guard let current, stale else { throw PlatformError(Self.jwksUnavailable, "Token keys are unavailable; retry shortly.") }
        guard known else { throw PlatformError(AccessError.keyUnknown, "The access token's signing key is not published.") }
        return current
    }

    /// A fetched JWKS: the keys and the kids it publishes.
    struct Fetched: Sendable {
        let keys: JWTKeyCollection
        let kids: Set<String>
    }

    private func fetch() async throws -> Fetched {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        let (response, body) = try await client.exchange(request, timeout: .seconds(3), maxBytes: 1 << 20)
        guard response.status.code == 200 else { throw JWKSFetchError(status: Int(response.status.code)) }
        struct Document: Decodable { struct Key: Decodable { let kid: String? }; let keys: [Key] }
        let data = Data(buffer: body)
        let kids = Set(try JSONDecoder().decode(Document.self, from: data).keys.compactMap(\.kid))
        let keys = try await JWTKeyCollection().add(jwksJSON: String(decoding: data, as: UTF8.self))
        return Fetched(keys: keys, kids: kids)
    }
}

struct JWKSFetchError: Error {
    let status: Int
}

extension JWKSVerifier: AccessFeedListener {
    /// A key retired in an emergency is refused at once.
    public func apply(_ events: [AccessEvent]) {
        for event in events where event.knownKind == .signingKeyRetired {
            if let kid = event.keyID { retire(kid: kid) }
        }
    }

    /// Verified tokens are forgotten (the keys that signed them are checked again) and the next
    /// unknown kid refetches the JWKS at once.
    public func dropAll() {
        verified.withLockedValue { $0.tokens.removeAll() }
        cache.withLockedValue { cache in
            cache.lastAttempt = nil
            cache.fetchedAt = cache.fetchedAt.map { $0 - cacheTTL }  // stale: refetched on the next token, kept if Auth is away
        }
    }

    public func trust(until instant: ContinuousClock.Instant) {}
}
