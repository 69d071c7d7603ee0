import AccessControl
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// A membership as `/auth/me` lists it.
public struct MembershipSummary: Codable, Sendable, Equatable {
    public var membershipID: UUID
    public var companyID: UUID
    public var companySlug: String
    public var companyName: String
    public var companyStatus: String
    public var status: String

    enum CodingKeys: String, CodingKey {
        case status
        case membershipID = "membership_id"
        case companyID = "company_id"
        case companySlug = "company_slug"
        case companyName = "company_name"
        case companyStatus = "company_status"
    }

    /// Only active memberships of approved companies get access.
    public var grantsAccess: Bool { status == "active" && companyStatus == "approved" }
}

extension [MembershipSummary] {
    /// The membership in the company named by `org` (an `x-org` value: company id or slug).
    func matching(org: String) -> MembershipSummary? {
        guard let org = OrgReference(org) else { return nil }
        return first { org.matches(id: $0.companyID, slug: $0.companySlug) }
    }
}

/// Reads identity and grants from `auth_db`.
public struct AccessRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    /// The user's email, status and platform roles.
    func user(_ id: UUID) async throws -> (email: String, active: Bool, platformRoles: [String])? {
        let rows = try await database.query("SELECT email, status, platform_roles FROM users WHERE id = \(id)",
                                            operation: "user_read", logger: logger)
        guard let row = rows.first else { return nil }
        let (email, status, roles) = try row.decode((String, String, [String]).self)
        return (email, status == "active", roles)
    }

    /// Whether `kid` is a signing key that has not been retired.
    func signingKeyIsLive(_ kid: String) async throws -> Bool {
        try await !database.query("SELECT 1 FROM signing_keys WHERE kid = \(kid) AND state <> 'retired'",
                                  operation: "signing_key_live", logger: logger).isEmpty
    }

    func memberships(userID: UUID) async throws -> [MembershipSummary] {
        try await database.query("""
            SELECT m.id, c.id, c.slug, c.name, c.status, m.status FROM memberships m JOIN companies c ON c.id = m.company_id
            WHERE m.user_id = \(userID) ORDER BY c.slug
            """, operation: "memberships_read", logger: logger).map { row in
            let (membership, company, slug, name, companyStatus, status) = try row.decode((UUID, UUID, String, String, String, String).self)
            return MembershipSummary(membershipID: membership, companyID: company, companySlug: slug, companyName: name,
                                     companyStatus: companyStatus, status: status)
        }
    }

    /// The membership's grants and the entitlement version Auth last heard of, in one statement.
    func grants(membershipID: UUID) async throws -> (MembershipGrants, knownEntitlementVersion: Int64) {
        let rows = try await database.query("""
            SELECT m.company_id, c.slug, m.access_version, mg.modules, mg.role_permissions, mg.delegated_permissions,
                   mg.delegations_valid_until,
                   coalesce((SELECT version FROM company_entitlement_versions v WHERE v.company_id = m.company_id), 0)
            FROM memberships m JOIN companies c ON c.id = m.company_id JOIN membership_grants mg ON mg.membership_id = m.id
            WHERE m.id = \(membershipID)
            """, operation: "grants_read", logger: logger)
        guard let row = rows.first else { throw PlatformError(.notFound, "no membership \(membershipID)") }
        let (company, slug, accessVersion, modules, rolePermissions, delegated, validUntil, known) =
            try row.decode((UUID, String, Int64, [String], [String], [String], Date?, Int64).self)
        let grants = MembershipGrants(companyID: company, companySlug: slug, membershipID: membershipID, accessVersion: accessVersion,
                                      modules: Set(modules), permissions: Set(rolePermissions).union(delegated), validUntil: validUntil)
        return (grants, known)
    }

    /// Audits an aggregation that could not reach Core (best effort: the refusal stands either way).
    func auditAggregationFailure(company: UUID) async {
        do {
            _ = try await database.query("""
                INSERT INTO audit_events (actor, action, target, outcome, request_id)
                VALUES ('auth', 'access_aggregation', \(company.lowercased), 'entitlements_unavailable', \(RequestTrace.current?.requestID))
                """, operation: "audit", logger: logger)
        } catch {
            logger.error("audit of an aggregation failure failed", metadata: ["error_detail": .detail(of: error)])
        }
    }

    /// Records a newer entitlement version seen in Core's answer (signals may lag).
    func noteEntitlementVersion(company: UUID, version: Int64) async throws {
        _ = try await database.query("""
            INSERT INTO company_entitlement_versions (company_id, version) VALUES (\(company), \(version))
            ON CONFLICT (company_id) DO UPDATE SET version = greatest(company_entitlement_versions.version, excluded.version)
            """, operation: "entitlement_version_note", logger: logger)
    }

    /// Bumps the access version of the memberships of one company, one membership or one user,
    /// and of every membership holding a live delegation from them (a delegation carries only
    /// what its delegator holds). Returns how many were bumped.
    func bumpAccessVersions(company: UUID?, membership: UUID?, user: UUID?) async throws -> Int {
        try await database.withTransaction("access_invalidate", logger: logger) { connection in
            let targets = try await connection.query("""
                SELECT id FROM memberships
                WHERE (\(company)::uuid IS NOT NULL AND company_id = \(company))
                   OR (\(membership)::uuid IS NOT NULL AND id = \(membership))
                   OR (\(user)::uuid IS NOT NULL AND user_id = \(user))
                """, logger: logger).collect().map { try $0.decode(UUID.self) }
            return try await AccessVersions.bump(memberships: targets, on: connection, logger: logger)
        }
    }
}
