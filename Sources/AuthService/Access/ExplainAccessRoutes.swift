import AccessControl
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit

/// `POST /internal/v1/access/explain` (Admin): the runbook "user cannot access module" as one
/// call — the ordered checks, each with its outcome, and the first one that fails.
struct ExplainAccessRoutes: Sendable {
    let sessions: any SessionRepository
    let repository: AccessRepository
    let access: AccessService

    struct Input: Decodable, Sendable {
        let userID: UUID
        let company: String
        let module: String
        let permission: String?
        let sessionID: UUID?

        enum CodingKeys: String, CodingKey {
            case company, module, permission
            case userID = "user_id"
            case sessionID = "session_id"
        }
    }

    struct Check: Encodable, Sendable {
        let name: String
        let ok: Bool?
        let detail: String
    }

    struct Explanation: Encodable, Sendable, ResponseEncodable {
        let checks: [Check]
        let firstFailure: String?
        enum CodingKeys: String, CodingKey { case checks, firstFailure = "first_failure" }
    }

    func add(to router: Router<PlatformRequestContext>, context daemon: DaemonContext) {
        daemon.internalRoutes(on: router, path: "/internal/v1", callers: ["admin"]).post("access/explain") { request, context in
            let input = try await request.decodeJSON(as: Input.self, context: context)
            return try await explain(input)
        }
    }

    func explain(_ input: Input) async throws -> Explanation {
        var checks: [Check] = []
        func add(_ name: String, _ ok: Bool?, _ detail: String) { checks.append(Check(name: name, ok: ok, detail: detail)) }
        func done() -> Explanation { Explanation(checks: checks, firstFailure: checks.first { $0.ok == false }?.name) }

        let user = try await repository.user(input.userID)
        add("user_active", user?.active == true, user == nil ? "no such user" : (user!.active ? "active" : "disabled"))
        if let session = input.sessionID {
            let live = try await sessions.isLive(sessionID: session, userID: input.userID)
            add("session_live", live, live ? "live" : "revoked, expired or not this user's")
        } else {
            add("session_live", nil, "not checked (no session_id given)")
        }
        guard let membership = try await repository.memberships(userID: input.userID).matching(org: input.company) else {
            add("membership_active", false, "not a member of \(input.company)")
            return done()
        }
        add("membership_active", membership.status == "active", "membership is \(membership.status)")
        add("company_approved", membership.companyStatus == "approved", "company is \(membership.companyStatus)")
        let entitlements: CompanyEntitlementsView
        do {
            entitlements = try await access.fetchEntitlements(membership.companyID)
        } catch {
            add("company_entitled", false, "Core is unreachable: entitlements cannot be checked")
            return done()
        }
        let entitled = entitlements.modules.first { $0.key == input.module }
        add("company_entitled", entitled != nil,
            entitled.map { "entitled by " + $0.sources.map { "\($0.type) \($0.key)" }.joined(separator: ", ") }
                ?? "Core does not entitle the company to \(input.module)")
        if input.module == "core_app" {
            add("core_app_visible", entitlements.coreAppVisible, entitlements.coreAppVisible ? "Basic is active" : "no active Basic subscription")
        }
        let (grants, known) = try await repository.grants(membershipID: membership.membershipID)
        add("membership_granted", grants.modules.contains(input.module),
            grants.modules.contains(input.module) ? "granted" : "the membership has no grant for \(input.module)")
        if let permission = input.permission {
            let snapshot = AccessAggregator.snapshot(grants: grants, entitlements: entitlements)
            let present = snapshot.permissions.contains(permission)
            add("permission_present", present, present ? "held through roles or delegations"
                : grants.permissions.contains(permission) ? "held, but its module is not effective" : "not held")
        }
        add("cache_version_current", known >= entitlements.entitlementVersion,
            "Auth knows entitlement version \(known), Core is at \(entitlements.entitlementVersion)"
                + (known < entitlements.entitlementVersion ? " (signal pending: check Core's outbox)" : ""))
        return done()
    }
}
