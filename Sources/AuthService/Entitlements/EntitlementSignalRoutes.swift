import Foundation
import Hummingbird
import Logging
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Receives Core's entitlement invalidation signals (its outbox delivers them): records the
/// highest version per company, so access cached for an older version is never used again.
/// Idempotent and order-insensitive: an older or repeated signal changes nothing.
struct EntitlementSignalRoutes: Sendable {
    let database: PlatformDatabase
    /// A signal returns once this instance's access memory shows it.
    let feed: AccessFeedPublisher

    struct Signal: Decodable, Sendable {
        let companyID: UUID
        let entitlementVersion: Int64

        enum CodingKeys: String, CodingKey {
            case companyID = "company_id"
            case entitlementVersion = "entitlement_version"
        }
    }

    func add(to router: Router<PlatformRequestContext>, context: DaemonContext) {
        context.internalRoutes(on: router, path: "/internal/v1", callers: ["core"])
            .add(middleware: SettlesAccessMemory(feed: feed))
            .post("entitlements/invalidated") { request, context in
                let signal = try await request.decodeJSON(as: Signal.self, context: context)
                guard signal.entitlementVersion >= 0 else { throw PlatformError(.validationFailed, "entitlement_version must be >= 0") }
                let rows = try await database.query("""
                    INSERT INTO company_entitlement_versions (company_id, version) VALUES (\(signal.companyID), \(signal.entitlementVersion))
                    ON CONFLICT (company_id) DO UPDATE SET version = greatest(company_entitlement_versions.version, excluded.version),
                        updated_at = now()
                    RETURNING version
                    """, operation: "entitlement_signal", logger: context.logger)
                let current = try rows[0].decode(Int64.self)
                context.logger.info("entitlement version signalled", metadata: [
                    "company_id": .string(signal.companyID.uuidString), "entitlement_version": .stringConvertible(current),
                ])
                return ["company_id": signal.companyID.lowercased, "entitlement_version": String(current)]
            }
    }
}
