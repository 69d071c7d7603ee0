import AccessControl
import Foundation
import HTTPTypes
import Hummingbird
import PlatformKit

/// `GET /auth/me` (identity and memberships) and `GET /auth/me/access` (the access snapshot
/// for the company named by `x-org`, id or slug, or for every company of the user).
struct AccessRoutes: Sendable {
    let authenticator: AccessAuthenticator
    let repository: AccessRepository
    let access: AccessService
    let denials: AccessDenials
    let memory: AccessMemory

    struct Me: Encodable, Sendable, ResponseEncodable {
        let userID: UUID
        let email: String
        let platformRoles: [String]
        let sessionID: UUID
        let memberships: [MembershipSummary]

        enum CodingKeys: String, CodingKey {
            case email, memberships
            case userID = "user_id"
            case platformRoles = "platform_roles"
            case sessionID = "session_id"
        }
    }

    struct AllAccess: Encodable, Sendable, ResponseEncodable {
        let companies: [AccessSnapshot]
    }

    func add(to router: Router<PlatformRequestContext>) {
        router.get("/auth/me") { request, context in
            let identity = try await authenticator.authenticate(request, context)
            guard let user = try await repository.user(identity.userID), user.active else {
                throw PlatformError(AccessError.membershipInactive, "This account is not active.")
            }
            return Me(userID: identity.userID, email: user.email, platformRoles: user.platformRoles, sessionID: identity.sessionID,
                      memberships: try await repository.memberships(userID: identity.userID))
        }
        router.get("/auth/me/access") { request, context -> Response in
            if let org = request.headers[.org].map({ String(HeaderText.trimmed(Substring($0))) }), !org.isEmpty {
                return try await access(org: org, request, context)
            }
            let identity = try await authenticator.authenticate(request, context)
            guard let user = try await repository.user(identity.userID), user.active else {
                await deny(.userInactive, identity, nil, context)
                throw PlatformError(AccessError.membershipInactive, "This account is not active.")
            }
            let memberships = try await repository.memberships(userID: identity.userID)
            var snapshots: [AccessSnapshot] = []
            for membership in memberships where membership.grantsAccess {
                snapshots.append(try await access.snapshot(membershipID: membership.membershipID))
            }
            return try AllAccess(companies: snapshots).response(from: request, context: context)
        }
    }
}

extension AccessRoutes {
    /// The snapshot in one company: from memory while Auth's own feed vouches for it, else one
    /// statement for session, user, membership and grants (and the snapshot cache).
    private func access(org: String, _ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        let identity = try await authenticator.verifyToken(request)
        // The same answer as every backend's for an x-org that is neither an id nor a slug.
        guard let reference = OrgReference(org) else {
            throw PlatformError(AccessError.xOrgMissing, "x-org must be a company id or slug.")
        }
        let key = AccessMemory.key(identity, reference)
        if let held = memory.lookup(key) {
            context.notes.identify(userID: identity.userID.lowercased, sessionID: identity.sessionID.lowercased,
                                   companyID: held.companyID.lowercased)
            return held.response
        }
        // Taken before reading: an answer read before a change was applied is not kept.
        let ticket = memory.state.beginFill()
        guard let row = try await repository.context(sessionID: identity.sessionID, userID: identity.userID, org: reference,
                                                     keyID: identity.keyID) else {
            try await authenticator.refuseRevoked(identity, context)
        }
        switch row.ladder() {
        case .failure(.sessionRevoked):
            try await authenticator.refuseRevoked(identity, context)
        case .failure(.keyRetired):
            throw PlatformError(AccessError.keyUnknown, "The access token's signing key is retired.")
        case .failure(.userInactive):
            context.notes.identify(userID: identity.userID.lowercased, sessionID: identity.sessionID.lowercased)
            await deny(.userInactive, identity, nil, context)
            throw PlatformError(AccessError.membershipInactive, "This account is not active.")
        case .failure(.notAMember):
            context.notes.identify(userID: identity.userID.lowercased, sessionID: identity.sessionID.lowercased)
            throw PlatformError(AccessError.xOrgForbidden, "You are not a member of that company.")
        case .failure(.accessInactive):
            context.notes.identify(userID: identity.userID.lowercased, sessionID: identity.sessionID.lowercased)
            await deny(.accessInactive, identity, org, context)
            throw PlatformError(AccessError.membershipInactive, "Your membership or the company is not active.")
        case .success(let granted):
            let membership = granted.membership
            context.notes.identify(userID: identity.userID.lowercased, sessionID: identity.sessionID.lowercased,
                                   companyID: membership.companyID.lowercased)
            let (snapshot, validUntil) = try await access.snapshotAndValidity(grants: granted.grants,
                                                                             knownEntitlementVersion: row.knownEntitlementVersion)
            let answer = try AccessMemory.Answer(snapshot)
            memory.state.store(answer, for: key,
                               subject: .init(session: identity.sessionID, user: identity.userID, membership: membership.membershipID,
                                              company: membership.companyID),
                               ticket: ticket, validUntil: [validUntil, row.sessionExpiresAt].compactMap { $0 }.min())
            return answer.response
        }
    }

    private func deny(_ reason: AccessDenials.Reason, _ identity: AccessIdentity, _ company: String?,
                      _ context: PlatformRequestContext) async {
        await denials.record(reason, userID: identity.userID, sessionID: identity.sessionID, company: company, route: "me_access",
                             requestID: context.trace.requestID)
    }
}
