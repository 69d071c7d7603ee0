import AccessControl
import Foundation
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Everything one access check needs, read in one statement: the session, the user, the
/// membership in the company named by `x-org` (id or slug), its grants and versions.
struct AccessContextRow: Sendable {
    var sessionLive: Bool
    /// When the session ends by itself (nothing is written then).
    var sessionExpiresAt: Date? = nil
    /// The token's signing key is not retired (true when no key was named).
    var keyLive: Bool = true
    var userActive: Bool
    /// Nil when the user is not a member of that company.
    var membership: MembershipSummary?
    var grants: MembershipGrants?
    var knownEntitlementVersion: Int64
}

extension AccessContextRow {
    /// The access ladder, decided once for every route that asks: session live → token key not
    /// retired → user active → member of the company → membership and company active.
    func ladder() -> Result<(membership: MembershipSummary, grants: MembershipGrants), AccessDenials.Reason> {
        guard sessionLive else { return .failure(.sessionRevoked) }
        guard keyLive else { return .failure(.keyRetired) }
        guard userActive else { return .failure(.userInactive) }
        guard let membership, let grants else { return .failure(.notAMember) }
        guard membership.grantsAccess else { return .failure(.accessInactive) }
        return .success((membership, grants))
    }
}

extension AccessRepository {
    /// The hot path of `/auth/me/access` (with `x-org`) and of business backends' access
    /// context: one round trip to PostgreSQL, so that revocations, status and grant changes
    /// apply on the very next request without paying four queries for it.
    func context(sessionID: UUID, userID: UUID, org raw: String, keyID: String? = nil) async throws -> AccessContextRow? {
        // An x-org that is neither an id nor a slug matches no company.
        let org = OrgReference(raw)
        let orgID = org?.id, orgSlug = org?.id == nil ? org?.value : nil
        let rows = try await database.query("""
            SELECT EXISTS (SELECT 1 FROM sessions s WHERE s.id = \(sessionID) AND s.user_id = u.id
                                                      AND s.revoked_at IS NULL AND s.expires_at > now()),
                   u.status = 'active',
                   m.id, m.status, c.id, c.slug, c.name, c.status, m.access_version,
                   coalesce(mg.modules, '{}'), coalesce(mg.role_permissions, '{}'), coalesce(mg.delegated_permissions, '{}'),
                   mg.delegations_valid_until,
                   coalesce((SELECT version FROM company_entitlement_versions v WHERE v.company_id = c.id), 0),
                   \(keyID)::text IS NULL OR EXISTS (SELECT 1 FROM signing_keys k WHERE k.kid = \(keyID) AND k.state <> 'retired'),
                   (SELECT s.expires_at FROM sessions s WHERE s.id = \(sessionID) AND s.user_id = u.id)
            FROM users u
            LEFT JOIN companies c ON c.id = \(orgID) OR c.slug = \(orgSlug)
            LEFT JOIN memberships m ON m.user_id = u.id AND m.company_id = c.id
            LEFT JOIN membership_grants mg ON mg.membership_id = m.id
            WHERE u.id = \(userID)
            """, operation: "access_context", logger: logger)
        guard let row = rows.first else { return nil }
        let (live, active, membership, membershipStatus, company, slug, name, companyStatus, accessVersion, modules, rolePermissions,
             delegated, validUntil, known, keyLive, sessionEnds) = try row.decode((Bool, Bool, UUID?, String?, UUID?, String?, String?, String?,
                                                                                   Int64?, [String], [String], [String], Date?, Int64, Bool, Date?).self)
        guard let membership, let membershipStatus, let company, let slug, let name, let companyStatus, let accessVersion else {
            return AccessContextRow(sessionLive: live, sessionExpiresAt: sessionEnds, keyLive: keyLive, userActive: active, membership: nil,
                                    grants: nil, knownEntitlementVersion: known)
        }
        return AccessContextRow(
            sessionLive: live, sessionExpiresAt: sessionEnds, keyLive: keyLive, userActive: active,
            membership: MembershipSummary(membershipID: membership, companyID: company, companySlug: slug, companyName: name,
                                          companyStatus: companyStatus, status: membershipStatus),
            grants: MembershipGrants(companyID: company, companySlug: slug, membershipID: membership, accessVersion: accessVersion,
                                     modules: Set(modules), permissions: Set(rolePermissions).union(delegated),
                                     validUntil: validUntil),
            knownEntitlementVersion: known)
    }
}
