import JWTKit
import HTTPTypes
import Foundation
import Logging
import NIOConcurrencyHelpers
import PlatformKit
import Prometheus

/// The one decision "may this request proceed" for every service other than Auth: bearer
/// token → JWKS verification → `x-org` → the ladder (session live → user active → member →
/// membership and company active) → the snapshot's modules and permissions.
///
/// Answers from memory (`AccessState`) while Auth's change feed vouches for it; otherwise asks
/// Auth (`/internal/v1/access-context`) per request; with neither, `access_unavailable` (503).
/// Redis is never on this path: a cold, stale or missing cache only costs a round trip to Auth.
public final class AccessEnforcer: Sendable {
    let verifier: JWKSVerifier
    let auth: ServiceHTTPClient
    /// Company access per session and `x-org`.
    public let state: AccessState<AccessContextAnswer>
    /// Platform administration per session (Admin).
    public let adminState: AccessState<AdminContextAnswer>
    let metrics: PlatformMetrics
    let logger: Logger
    /// The routes declared behind this enforcer, with their requirements (for the API document).
    public let declaredRoutes = DeclaredRoutes()
    private let decisions: Counter
    private let fromMemory: Counter
    private let unavailable: Counter
    /// Identical questions to Auth in flight, asked once.
    private let contextQuestions = SharedQuestions<AccessState<AccessContextAnswer>.Key, AccessState<AccessContextAnswer>.FillTicket,
                                                   AccessContextAnswer>()
    private let adminQuestions = SharedQuestions<AccessState<AdminContextAnswer>.Key, AccessState<AdminContextAnswer>.FillTicket,
                                                 AdminContextAnswer>()
    /// When the last "decision unavailable" error was logged (at most one per 10 s).
    private let lastUnavailableLog = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    public init(verifier: JWKSVerifier, auth: ServiceHTTPClient, state: AccessState<AccessContextAnswer> = AccessState(),
                adminState: AccessState<AdminContextAnswer> = AccessState(capacity: 10_000), metrics: PlatformMetrics, logger: Logger) {
        self.verifier = verifier
        self.auth = auth
        self.state = state
        self.adminState = adminState
        self.metrics = metrics
        self.logger = logger
        decisions = metrics.counter("kisum_access_decisions_total", help: "Access decisions made, from memory or with Auth.")
        fromMemory = metrics.counter("kisum_access_decisions_from_memory_total",
                                     help: "Access decisions answered from the feed-kept state, without asking Auth.")
        unavailable = metrics.counter("kisum_access_unavailable_total", help: "Requests refused because no access decision could be made.")
    }

    /// The verified identity behind an `Authorization` header value, or 401.
    public func identity(authorization header: String?) async throws -> VerifiedIdentity {
        guard let token = BearerToken.parse(header) else {
            throw PlatformError(AccessError.tokenMissing, "Send an access token as Authorization: Bearer.")
        }
        let (claims, kid) = try await verifier.verifyWithKey(token)
        guard let user = UUID(text: claims.sub.value), let session = UUID(text: claims.sid) else {
            throw PlatformError(AccessError.tokenInvalid, "The access token is not valid.")
        }
        return VerifiedIdentity(userID: user, sessionID: session, keyID: kid)
    }

    /// The access of `identity` in the company `org` names (the ladder's refusals as errors).
    public func access(of identity: VerifiedIdentity, in org: OrgReference) async throws -> AccessSnapshot {
        // The key names the token's signing key too: Auth's answer depends on it (a retired key
        // is refused), and a token from the same session signed by the next key is asked anew.
        let answer = try await decide(in: state, sharing: contextQuestions, key: .init(session: identity.sessionID, scope: "\(org.value) \(identity.keyID)"),
                                      identity: identity,
                                      path: "/internal/v1/access-context",
                                      question: ContextQuestion(session_id: identity.sessionID.lowercased, user_id: identity.userID.lowercased,
                                                                company: org.value, key_id: identity.keyID)) { answer in
            // "Not a member" of any x-org a caller invents is not kept: memory holds what real
            // memberships decide, however many names a client tries.
            guard answer.reason != "not_a_member" else { return nil }
            return (.init(session: identity.sessionID, user: identity.userID, membership: answer.access?.membershipID ?? answer.membershipID,
                          company: answer.access?.companyID ?? answer.companyID ?? org.id), answer.validUntil)
        }
        return try answer.snapshot()
    }

    /// Whether `identity` is a live platform administrator's session, and their roles now.
    public func platformAdministration(of identity: VerifiedIdentity) async throws -> AdminContextAnswer {
        try await decide(in: adminState, sharing: adminQuestions, key: .init(session: identity.sessionID, scope: identity.keyID), identity: identity,
                         path: "/internal/v1/admin-context",
                         question: AdminQuestion(session_id: identity.sessionID.lowercased, user_id: identity.userID.lowercased,
                                                 key_id: identity.keyID)) { answer in
            (.init(session: identity.sessionID, user: identity.userID), answer.validUntil)
        }
    }

    /// Counts a refusal of the access layer: `code` (token_*, key_unknown, x_org_*, session_revoked,
    /// membership_inactive, module_not_entitled, permission_denied, access_unavailable), and for
    /// a route's requirement its module and permission.
    func refused(_ code: PlatformError.Code, requirement: AccessRequirement? = nil) {
        metrics.counter("kisum_access_refusals_total", help: "Requests refused by the access layer, by code (and module and permission for a route's requirement).",
                        labels: [("code", code.name), ("module", requirement?.module ?? ""), ("permission", requirement?.permission ?? "")]).increment()
    }

    /// After this service itself changed access through Auth: the next decisions ask Auth,
    /// and tokens are verified afresh (read your own writes, a retired key included; every
    /// other instance hears of it from the feed).
    public func forgetDecisions() {
        state.dropAll()
        adminState.dropAll()
        verifier.dropAll()
        contextQuestions.forgetAll()
        adminQuestions.forgetAll()
    }

    /// From memory while the feed vouches; else Auth's answer (one question in flight per key),
    /// kept unless a change raced it.
    private func decide<Value: Decodable & Sendable>(
        in state: AccessState<Value>, sharing questions: SharedQuestions<AccessState<Value>.Key, AccessState<Value>.FillTicket, Value>,
        key: AccessState<Value>.Key, identity: VerifiedIdentity, path: String,
        question: some Encodable & Sendable, subject: @escaping @Sendable (Value) -> (AccessState<Value>.Subject, Date?)?
    ) async throws -> Value {
        decisions.increment()
        if let held = state.lookup(key) {
            fromMemory.increment()
            return held
        }
        // The ticket is taken before asking and names the state's generation: a question asked
        // before a change was applied is neither kept nor joined after it.
        let ticket = state.beginFill()
        do {
            return try await questions.answer(key, generation: ticket) { [auth, metrics] in
                let asked = ContinuousClock.now
                let reply: ServiceHTTPClient.Reply
                do {
                    reply = try await auth.send(.post, path, json: question)
                    metrics.latency("kisum_access_context_fetch_seconds", help: "Questions to Auth when memory could not answer, by outcome.",
                                    labels: [("outcome", reply.status == 200 ? "ok" : "refused")]).record(ContinuousClock.now - asked)
                } catch {
                    metrics.latency("kisum_access_context_fetch_seconds", help: "Questions to Auth when memory could not answer, by outcome.",
                                    labels: [("outcome", "failed")]).record(ContinuousClock.now - asked)
                    throw error
                }
                guard reply.status == 200 else { throw AccessContextRefused(status: reply.status) }
                let answer = try reply.decode(Value.self)
                if let (about, validUntil) = subject(answer) {
                    state.store(answer, for: key, subject: about, ticket: ticket, validUntil: validUntil)
                }
                return answer
            }
        } catch {
            unavailable.increment()
            let now = ContinuousClock.now
            let log = lastUnavailableLog.withLockedValue { last in
                guard last.map({ now - $0 >= .seconds(10) }) ?? true else { return false }
                last = now
                return true
            }
            if log {
                logger.error("access decision unavailable: the feed is not current and Auth did not answer (logged once per 10 s; see kisum_access_unavailable_total)",
                             metadata: ["error_type": .type(of: error), "error_detail": .detail(of: error)])
            }
            throw PlatformError(AccessError.accessUnavailable, "Access cannot be checked right now; retry shortly.")
        }
    }

    private struct ContextQuestion: Encodable, Sendable {
        let session_id: String
        let user_id: String
        let company: String
        let key_id: String
    }

    private struct AdminQuestion: Encodable, Sendable {
        let session_id: String
        let user_id: String
        let key_id: String
    }
}

/// A caller proven by a verified access token (identity only: access is decided separately).
public struct VerifiedIdentity: Sendable, Hashable {
    public let userID: UUID
    public let sessionID: UUID
    /// The signing key of the token (Auth refuses it once retired, also when asked directly).
    public let keyID: String

    public init(userID: UUID, sessionID: UUID, keyID: String) {
        self.userID = userID
        self.sessionID = sessionID
        self.keyID = keyID
    }
}

/// Auth answered an access question with something other than 200.
struct AccessContextRefused: Error, CustomStringConvertible {
    let status: Int
    var description: String { "Auth answered access-context with \(status)" }
}
