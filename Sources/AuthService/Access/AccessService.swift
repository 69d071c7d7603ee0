import AccessControl
import Foundation
import HTTPTypes
import Logging
import PlatformKit
import Prometheus

/// Computes a membership's access snapshot: grants from Auth's database, entitlements from
/// Core, cached in Redis by versions. Core down with nothing cached for the current
/// versions fails closed (`entitlements_unavailable`), never a guess.
struct AccessService: Sendable {
    let repository: AccessRepository
    let cache: AccessCache
    let core: ServiceHTTPClient
    let metrics: PlatformMetrics
    let logger: Logger

    static let entitlementsUnavailable = PlatformError.Code("entitlements_unavailable", .serviceUnavailable)

    func snapshot(membershipID: UUID) async throws -> AccessSnapshot {
        let (grants, known) = try await repository.grants(membershipID: membershipID)
        return try await snapshot(grants: grants, knownEntitlementVersion: known)
    }

    /// The snapshot for grants already read (with the entitlement version Auth knows).
    func snapshot(grants: MembershipGrants, knownEntitlementVersion known: Int64) async throws -> AccessSnapshot {
        try await snapshotAndValidity(grants: grants, knownEntitlementVersion: known).snapshot
    }

    /// The snapshot and the moment it stops holding without any write (Core's entitlement
    /// period end, the earliest delegation expiry), for callers that keep it.
    func snapshotAndValidity(grants: MembershipGrants, knownEntitlementVersion known: Int64) async throws
        -> (snapshot: AccessSnapshot, validUntil: Date?) {
        let start = ContinuousClock.now
        let key = AccessCache.key(grants, entitlementVersion: known)
        if let cached = await cache.get(key) {
            return (cached.snapshot, [cached.validUntil, grants.validUntil].compactMap { $0 }.min())
        }

        let entitlements = try await fetchEntitlements(grants.companyID)
        let snapshot = AccessAggregator.snapshot(grants: grants, entitlements: entitlements)
        if entitlements.entitlementVersion > known {
            // Core is ahead of the signals we have received: remember, and cache under the new version.
            try await repository.noteEntitlementVersion(company: grants.companyID, version: entitlements.entitlementVersion)
        }
        // Cached until the first of: Core's valid_until, the earliest delegation expiry, the TTL.
        let validUntil = [entitlements.validUntil, grants.validUntil].compactMap { $0 }.min()
        await cache.put(AccessCache.key(grants, entitlementVersion: entitlements.entitlementVersion), snapshot,
                        validUntil: validUntil)
        metrics.latency("kisum_auth_access_merge_duration_seconds", help: "Access aggregation latency on a cache miss.")
            .record(ContinuousClock.now - start)
        return (snapshot, validUntil)
    }

    func fetchEntitlements(_ company: UUID) async throws -> CompanyEntitlementsView {
        let start = ContinuousClock.now
        defer {
            metrics.latency("kisum_auth_core_entitlement_lookup_duration_seconds", help: "Core entitlement lookup latency.")
                .record(ContinuousClock.now - start)
        }
        do {
            let reply = try await core.send(.get, "/internal/v1/companies/\(company.lowercased)/entitlements")
            guard reply.status == 200 else { throw PlatformError(Self.entitlementsUnavailable, "Core answered \(reply.status)") }
            return try reply.decode(CompanyEntitlementsView.self)
        } catch {
            metrics.counter("kisum_auth_access_aggregation_failures_total", help: "Access aggregations that could not reach Core.")
                .increment()
            logger.error("access aggregation failed: entitlements unavailable", metadata: ["company_id": .string(company.uuidString),
                                                                                         "error_detail": .detail(of: error)])
            await repository.auditAggregationFailure(company: company)
            throw PlatformError(Self.entitlementsUnavailable, "Entitlements are unavailable right now; retry shortly.")
        }
    }
}
