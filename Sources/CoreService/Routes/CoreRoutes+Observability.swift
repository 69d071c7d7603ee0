import Foundation
import Logging
import PlatformKit
import Prometheus

extension CoreRoutes {
    /// Counts and logs one applied write: catalog mutations, subscription and add-on
    /// changes, and the entitlement version bumps they caused.
    func recordChange(kind: String, output: some Sendable, change: ChangeContext, logger: Logger) {
        let isCatalog = kind.hasPrefix("module_") || kind.hasPrefix("package_") || kind.hasPrefix("addon_create")
            || kind.hasSuffix("_retire") || kind.hasSuffix("_rename")
        if isCatalog {
            metrics.counter("kisum_core_catalog_mutations_total", help: "Catalog mutations applied, by kind.",
                            labels: [("kind", kind)]).increment()
        } else {
            metrics.counter("kisum_core_subscription_changes_total", help: "Subscription and add-on changes applied, by kind.",
                            labels: [("kind", kind)]).increment()
        }
        var bumps = 0
        var metadata: Logger.Metadata = ["change": .string(kind), "actor": .string(change.actor)]
        if let reply = output as? VersionReply {
            bumps = reply.entitlementVersion == nil ? 0 : 1
            if let company = reply.companyID { metadata["company_id"] = .string(company.uuidString) }
            if let version = reply.entitlementVersion { metadata["entitlement_version"] = .stringConvertible(version) }
        } else if let reply = output as? PackageUpdateReply {
            bumps = reply.affectedCompanies
            metadata["affected_companies"] = .stringConvertible(reply.affectedCompanies)
        }
        if let reason = change.reason { metadata["reason"] = .string(String(reason.prefix(200))) }
        if bumps > 0 {
            metrics.counter("kisum_core_entitlement_version_bumps_total", help: "Entitlement version bumps.")
                .increment(by: Int64(bumps))
        }
        logger.notice(isCatalog ? "catalog changed" : "entitlements changed", metadata: metadata)
    }
}
