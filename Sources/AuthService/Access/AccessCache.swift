import AccessControl
import Crypto
import Foundation
import Logging
import PlatformKit
import PlatformRedis
import Prometheus

/// Access snapshots in Redis under
/// `access:v3:{company}:{membership}:{accessVersion}:{entitlementVersion}:{grantsDigest}`, each
/// with the moment it stops being valid (Core's entitlement period, the earliest delegation).
/// The versions and the digest of the grants come from the database on every question, so a
/// stale entry is simply never asked for again — also after an edit that did not bump the
/// access version (an operator's SQL on grants, roles or delegations); an entry built from a
/// delegation expires with it (`put`'s `validUntil`).
/// Every value carries an HMAC-SHA256 tag keyed by a server secret: a corrupted or foreign
/// value is detected, discarded and rebuilt. Any Redis failure is a miss: slower, never wrong.
struct AccessCache: Sendable {
    let redis: RedisClient?
    let integrityKey: SymmetricKey
    let ttl: Duration
    let metrics: PlatformMetrics
    let logger: Logger

    static func key(_ grants: MembershipGrants, entitlementVersion: Int64) -> String {
        "access:v3:\(grants.companyID.lowercased):\(grants.membershipID.lowercased):\(grants.accessVersion):\(entitlementVersion):"
            + digest(grants)
    }

    /// What the snapshot is computed from on Auth's side, hashed: the granted modules and the
    /// held permissions (sorted), so equal grants give equal keys.
    static func digest(_ grants: MembershipGrants) -> String {
        let text = grants.modules.sorted().joined(separator: ",") + "|" + grants.permissions.sorted().joined(separator: ",")
        return SHA256.hash(data: Data(text.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    /// What is cached: the snapshot and until when it holds.
    struct Entry: Codable, Sendable {
        let snapshot: AccessSnapshot
        let validUntil: Date?
    }

    func get(_ key: String) async -> Entry? {
        guard let redis else { return nil }
        do {
            guard let bytes = try await redis.get(key) else { return record("miss") }
            guard let snapshot = open(bytes, key: key) else {
                logger.warning("discarded a cache entry that failed its integrity check", metadata: ["cache_key": .string(key)])
                _ = try? await redis.delete([key])
                return record("corrupt")
            }
            record("hit")
            return snapshot
        } catch {
            return record("error")
        }
    }

    func put(_ key: String, _ snapshot: AccessSnapshot, validUntil: Date?) async {
        guard let redis, let data = try? JSONEncoder.platform.encode(Entry(snapshot: snapshot, validUntil: validUntil)) else { return }
        var lifetime = ttl
        if let validUntil {
            let remaining = validUntil.timeIntervalSinceNow
            guard remaining > 1 else { return }
            lifetime = min(ttl, .milliseconds(Int64(remaining * 1000)))
        }
        let tag = HMAC<SHA256>.authenticationCode(for: Data(key.utf8) + data, using: integrityKey)
        try? await redis.set(key, Array(tag) + Array(data), ttl: lifetime)
    }

    private func open(_ bytes: [UInt8], key: String) -> Entry? {
        guard bytes.count > 32 else { return nil }
        let tag = Data(bytes.prefix(32)), data = Data(bytes.dropFirst(32))
        guard HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: Data(key.utf8) + data, using: integrityKey) else { return nil }
        return try? JSONDecoder.platform.decode(Entry.self, from: data)
    }

    @discardableResult
    private func record(_ outcome: String) -> Entry? {
        metrics.counter("kisum_auth_access_cache_total", help: "Access cache lookups, by outcome.", labels: [("outcome", outcome)])
            .increment()
        return nil
    }
}
