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
    /// context: one round trip to PostgreSQL, a statement prepared once per connection, so
    /// that revocations, status and grant changes apply on the very next request without
    /// paying four queries (or a parse and plan) for it.
    func context(sessionID: UUID, userID: UUID, org: OrgReference?, keyID: String? = nil) async throws -> AccessContextRow? {
        // The company by id or by slug: two statements, each planned on its own index. An
        // x-org that is neither an id nor a slug (nil) matches no company (a NULL slug).
        let rows = if let company = org?.id {
            try await database.execute(AccessContextByID(session: sessionID, user: userID, company: company, keyID: keyID),
                                       operation: "access_context", logger: logger)
        } else {
            try await database.execute(AccessContextBySlug(session: sessionID, user: userID, slug: org?.value, keyID: keyID),
                                       operation: "access_context", logger: logger)
        }
        return rows.first
    }
}

/// The access context's statement: `$1` session, `$2` user, `$3` the company (id or slug, as
/// `join` compares it), `$4` the token's key id or NULL.
private enum AccessContextSQL {
    static func make(join: String) -> String {
        """
        SELECT EXISTS (SELECT 1 FROM sessions s WHERE s.id = $1 AND s.user_id = u.id
                                                  AND s.revoked_at IS NULL AND s.expires_at > now()),
               u.status = 'active',
               m.id, m.status, c.id, c.slug, c.name, c.status, m.access_version,
               coalesce(mg.modules, '{}'), coalesce(mg.role_permissions, '{}'), coalesce(mg.delegated_permissions, '{}'),
               mg.delegations_valid_until,
               coalesce((SELECT version FROM company_entitlement_versions v WHERE v.company_id = c.id), 0),
               $4::text IS NULL OR EXISTS (SELECT 1 FROM signing_keys k WHERE k.kid = $4::text AND k.state <> 'retired'),
               (SELECT s.expires_at FROM sessions s WHERE s.id = $1 AND s.user_id = u.id)
        FROM users u
        LEFT JOIN companies c ON \(join)
        LEFT JOIN memberships m ON m.user_id = u.id AND m.company_id = c.id
        LEFT JOIN membership_grants mg ON mg.membership_id = m.id
        WHERE u.id = $2
        """
    }

    static func decode(_ row: PostgresRow) throws -> AccessContextRow {
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

/// The access context with the company named by id.
private struct AccessContextByID: PostgresPreparedStatement {
    static let name = "kisum_access_context_by_id"
    static let sql = AccessContextSQL.make(join: "c.id = $3")
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .uuid, .uuid, .text]
    let session: UUID, user: UUID, company: UUID, keyID: String?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(session)
        bindings.append(user)
        bindings.append(company)
        if let keyID { bindings.append(keyID) } else { bindings.appendNull() }
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> AccessContextRow { try AccessContextSQL.decode(row) }
}

/// The access context with the company named by slug (NULL: no company).
private struct AccessContextBySlug: PostgresPreparedStatement {
    static let name = "kisum_access_context_by_slug"
    static let sql = AccessContextSQL.make(join: "c.slug = $3")
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .uuid, .text, .text]
    let session: UUID, user: UUID, slug: String?, keyID: String?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(session)
        bindings.append(user)
        if let slug { bindings.append(slug) } else { bindings.appendNull() }
        if let keyID { bindings.append(keyID) } else { bindings.appendNull() }
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> AccessContextRow { try AccessContextSQL.decode(row) }
}
