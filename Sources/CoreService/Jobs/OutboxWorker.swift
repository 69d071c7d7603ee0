import Foundation
import HTTPTypes
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO
import Prometheus

/// Delivers entitlement invalidation signals from `entitlement_outbox` to Auth. Signals are
/// written in the same transaction as the change, so none is lost; delivery is retried with
/// exponential backoff while Auth is down, in order per company (a company's newest pending
/// version is sent, which supersedes the older ones: Auth keeps the highest version it saw,
/// so delivery is idempotent). Several Core instances may run it: rows are claimed with
/// `FOR UPDATE SKIP LOCKED`.
final class OutboxWorker: Sendable {
    let database: PlatformDatabase
    let auth: ServiceHTTPClient
    let maxBackoff: Duration
    let metrics: PlatformMetrics
    let logger: Logger

    /// Auth's route that receives the signals.
    static let path = "/internal/v1/entitlements/invalidated"

    init(database: PlatformDatabase, auth: ServiceHTTPClient, maxBackoff: Duration,
         metrics: PlatformMetrics, logger: Logger) {
        self.database = database
        self.auth = ServiceHTTPClient(callee: auth.callee, baseURL: auth.baseURL, timeout: .seconds(2),
                                      credentials: auth.credentialsProvider)
        self.maxBackoff = maxBackoff
        self.metrics = metrics
        self.logger = logger
    }

    /// One pass: deliver what is due, then publish the outbox depth — also every second of a
    /// long drain (a backlog after an Auth outage), so the gauges fall as it drains instead of
    /// showing the backlog until the last batch.
    func pass() async throws {
        var published = ContinuousClock.now
        while try await deliverPending() {
            if ContinuousClock.now - published >= .seconds(1) {
                // Never at the cost of the drain: a depth that cannot be read now is read later.
                do { try await recordDepth() } catch {
                    logger.notice("outbox depth not read during a drain", metadata: ["error_detail": .detail(of: error)])
                }
                published = .now
            }
        }
        try await recordDepth()
    }

    /// How long a claimed company's signals are withheld from other passes (and other Core
    /// instances) while this pass delivers them; a pass that dies leaves them due after it.
    static let claimLease: Duration = .seconds(60)
    /// Rows claimed per pass: each company's delivery takes at most the 2 s timeout, so a pass
    /// ends well inside its lease (no other instance re-claims rows still being delivered).
    static let claimLimit = 20

    /// One batch: every company with a due signal (up to `limit` rows), oldest first. Stops at
    /// the first failed delivery (Auth is most likely down for all of them). True when a full
    /// batch was delivered (more may be due).
    ///
    /// No transaction is open while Auth is called: the rows are claimed (leased) in one short
    /// transaction, delivered, and marked in another. An open transaction anywhere on a shared
    /// cluster holds back Auth's change feed (its horizon is the cluster's oldest transaction),
    /// and Auth answers a signal only once its feed has read the change back: a claim held
    /// across the call made every signal wait out Auth's one-second settle limit.
    func deliverPending(limit: Int = OutboxWorker.claimLimit) async throws -> Bool {
        let claimed = try await database.query("""
            WITH due AS (
                SELECT id FROM entitlement_outbox WHERE delivered_at IS NULL AND next_attempt_at <= now()
                ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            UPDATE entitlement_outbox o SET next_attempt_at = now() + make_interval(secs => \(Self.claimLease.secondsValue))
            FROM due WHERE o.id = due.id
            RETURNING o.id, o.company_id, o.entitlement_version, o.attempts
            """, operation: "outbox_claim", logger: logger)
        var companies: [(company: UUID, ids: [Int64], version: Int64, attempts: Int)] = []
        for row in claimed {
            let (id, company, version, attempts) = try row.decode((Int64, UUID, Int64, Int).self)
            if let index = companies.firstIndex(where: { $0.company == company }) {
                companies[index].ids.append(id)
                companies[index].version = max(companies[index].version, version)
                companies[index].attempts = min(companies[index].attempts, attempts)
            } else {
                companies.append((company, [id], version, attempts))
            }
        }
        companies.sort { ($0.ids.min() ?? 0) < ($1.ids.min() ?? 0) }
        var finished = 0
        let outcome: Result<Bool, any Error>
        do { outcome = .success(try await deliver(companies, finished: &finished)) } catch { outcome = .failure(error) }
        // What this pass claimed but did not finish — after a failed delivery, an error or a stop —
        // is due again at once rather than when the lease runs out (on a task of its own: a stop
        // cancels this one).
        let unfinished = companies[finished...].flatMap(\.ids)
        if !unfinished.isEmpty {
            let released = await Task { [database, logger] in
                try await database.query("""
                    UPDATE entitlement_outbox SET next_attempt_at = now() WHERE id = ANY(\(unfinished)) AND delivered_at IS NULL
                    """, operation: "outbox_release", logger: logger)
            }.result
            if case .failure(let error) = released, case .success = outcome { throw error }
        }
        return try outcome.get() && claimed.count == limit
    }

    /// Delivers each company's newest version in turn, counting in `finished` those whose rows
    /// are marked (or, for the one that failed, backed off); stops at the first failed delivery.
    private func deliver(_ companies: [(company: UUID, ids: [Int64], version: Int64, attempts: Int)], finished: inout Int) async throws -> Bool {
        for (index, claim) in companies.enumerated() {
            if try await deliver(company: claim.company, version: claim.version) {
                _ = try await database.query("""
                    UPDATE entitlement_outbox SET delivered_at = now(), attempts = attempts + 1, last_error = NULL
                    WHERE company_id = \(claim.company) AND delivered_at IS NULL AND entitlement_version <= \(claim.version)
                    """, operation: "outbox_delivered", logger: logger)
                metrics.counter("kisum_core_outbox_delivered_total", help: "Invalidation signals delivered to Auth.").increment()
                finished = index + 1
            } else {
                let backoff = min(maxBackoff.secondsValue, 0.5 * pow(2, Double(min(claim.attempts, 16))))
                _ = try await database.query("""
                    UPDATE entitlement_outbox SET attempts = attempts + 1, last_error = 'delivery failed',
                        next_attempt_at = now() + make_interval(secs => \(backoff))
                    WHERE company_id = \(claim.company) AND delivered_at IS NULL AND (id = ANY(\(claim.ids)) OR next_attempt_at <= now())
                    """, operation: "outbox_failed", logger: logger)
                metrics.counter("kisum_core_outbox_failed_total", help: "Failed attempts to deliver invalidation signals.").increment()
                finished = index + 1  // its backoff is set: not released with the rest
                return false
            }
        }
        return true
    }

    /// Whether Auth took the signal; throws `CancellationError` when the pass was cancelled
    /// (a stop is not a failed delivery and must not be recorded as one).
    private func deliver(company: UUID, version: Int64) async throws -> Bool {
        do {
            let reply = try await auth.send(.post, Self.path, json: Signal(companyID: company, entitlementVersion: version))
            if (200..<300).contains(reply.status) { return true }
            logger.warning("auth refused an invalidation signal", metadata: ["status": "\(reply.status)", "company_id": "\(company)"])
        } catch {
            try Task.checkCancellation()
            logger.notice("auth unreachable for invalidation signal", metadata: ["company_id": "\(company)", "error_detail": .detail(of: error)])
        }
        return false
    }

    func recordDepth() async throws {
        let rows = try await database.query("""
            SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
            FROM entitlement_outbox WHERE delivered_at IS NULL
            """, operation: "outbox_depth", logger: logger)
        let (pending, age) = try rows[0].decode((Int, Double).self)
        metrics.gauge("kisum_core_outbox_pending", help: "Invalidation signals not yet delivered.").set(Double(pending))
        metrics.gauge("kisum_core_outbox_oldest_age_seconds", help: "Age of the oldest undelivered signal.").set(age)
    }

    struct Signal: Codable, Sendable {
        var companyID: UUID
        var entitlementVersion: Int64

        enum CodingKeys: String, CodingKey {
            case companyID = "company_id"
            case entitlementVersion = "entitlement_version"
        }
    }
}
