import AccessControl
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PostgresNIO
import ServiceAuth

/// Internal routes on the management listener:
/// - `POST /internal/v1/access-context` (business backends): in one call, whether the session
///   is live and the caller's access snapshot in a company;
/// - `POST /internal/v1/access/invalidate` (Admin): bump access versions by company,
///   membership or user, so cached snapshots are never used again.
struct AccessContextRoutes: Sendable {
    let sessions: any SessionRepository
    let repository: AccessRepository
    let access: AccessService
    let denials: AccessDenials
    /// Invalidations return once this instance's access memory shows them.
    let feed: AccessFeedPublisher

    struct ContextInput: Decodable, Sendable {
        let sessionID: UUID
        let userID: UUID
        /// Company id or slug (the request's `x-org`).
        let company: String
        /// The kid of the caller's token: refused once retired, whatever the caller's JWKS says.
        let keyID: String?

        enum CodingKeys: String, CodingKey {
            case company
            case sessionID = "session_id"
            case userID = "user_id"
            case keyID = "key_id"
        }
    }


    struct InvalidateInput: Decodable, Sendable {
        let companyID: UUID?
        let membershipID: UUID?
        let userID: UUID?

        enum CodingKeys: String, CodingKey {
            case companyID = "company_id"
            case membershipID = "membership_id"
            case userID = "user_id"
        }
    }

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        daemon.internalRoutes(on: router, path: "/internal/v1", callers: NetworkPolicy.accessEnforcers)
            .post("access-context") { request, context in
                let input = try await request.decodeJSON(as: ContextInput.self, context: context)
                context.notes.identify(userID: input.userID.lowercased, sessionID: input.sessionID.lowercased)
                func deny(_ reason: AccessDenials.Reason) async -> AccessContextAnswer {
                    await denials.record(reason, userID: input.userID, sessionID: input.sessionID, company: input.company,
                                         route: "access_context", requestID: context.trace.requestID)
                    return AccessContextAnswer(allowed: false, reason: reason.rawValue, access: nil, validUntil: nil)
                }
                // One statement: session, user, membership and grants.
                let row = try await repository.context(sessionID: input.sessionID, userID: input.userID, org: OrgReference(input.company),
                                                       keyID: input.keyID)
                guard let row else { return await deny(.sessionRevoked) }
                let grants: MembershipGrants
                switch row.ladder() {
                case .failure(.accessInactive):
                    // Named, so that the change that lifts the refusal finds it in the caller's memory.
                    let refused = await deny(.accessInactive)
                    return AccessContextAnswer(allowed: false, reason: refused.reason, access: nil, validUntil: row.sessionExpiresAt,
                                               membershipID: row.membership?.membershipID, companyID: row.membership?.companyID)
                case .failure(let reason): return await deny(reason)
                case .success(let granted): grants = granted.grants
                }
                let (snapshot, validUntil) = try await access.snapshotAndValidity(grants: grants, knownEntitlementVersion: row.knownEntitlementVersion)
                return AccessContextAnswer(allowed: true, reason: nil, access: snapshot,
                                           validUntil: [validUntil, row.sessionExpiresAt].compactMap { $0 }.min())
            }
        daemon.internalRoutes(on: router, path: "/internal/v1", callers: ["admin"])
            .add(middleware: SettlesAccessMemory(feed: feed))
            .post("access/invalidate") { request, context in
                let input = try await request.decodeJSON(as: InvalidateInput.self, context: context)
                let targets = [input.companyID, input.membershipID, input.userID].compactMap { $0 }
                guard targets.count == 1 else {
                    throw PlatformError(.validationFailed, "give exactly one of company_id, membership_id, user_id")
                }
                let bumped = try await repository.bumpAccessVersions(company: input.companyID, membership: input.membershipID,
                                                                     user: input.userID)
                context.logger.notice("access invalidated", metadata: ["memberships": .stringConvertible(bumped)])
                return ["memberships": bumped]
            }
    }
}
