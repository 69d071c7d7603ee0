import HTTPTypes
import Hummingbird
import PlatformKit
import PlatformPostgres
import Prometheus

extension CoreRoutes {
    /// Catalog mutations (Admin only), each audited; package changes bump affected companies.
    func addCatalogWrites(to writes: RouterGroup<PlatformRequestContext>) {
        writes.post("catalog/modules") { request, context in
            try await idempotent(request, context, as: CatalogItemInput.self) { input, change in
                try input.validate()
                countMutation("module_create")
                return try await store.createModule(key: input.key, name: input.name, change: change)
            }
        }
        writes.post("catalog/packages") { request, context in
            try await idempotent(request, context, as: CatalogItemInput.self) { input, change in
                try input.validate()
                countMutation("package_create")
                return try await store.createPackage(key: input.key, name: input.name, modules: input.modules ?? [], change: change)
            }
        }
        writes.post("catalog/addons") { request, context in
            try await idempotent(request, context, as: CatalogItemInput.self) { input, change in
                try input.validate()
                guard let module = input.module else { throw PlatformError(.validationFailed, "module is required") }
                countMutation("addon_create")
                return try await store.createAddon(key: input.key, name: input.name, module: module, change: change)
            }
        }
        writes.put("catalog/packages/{key}") { request, context in
            try await idempotent(request, context, as: PackageUpdateInput.self) { input, change in
                let key = try Self.key(context, "key")
                try CatalogItemInput(key: key, name: input.name, modules: input.modules).validate()
                countMutation("package_update")
                let (package, reply) = try await store.updatePackage(key: key, name: input.name, modules: input.modules,
                                                                     expectedVersion: input.expectedVersion, change: change)
                return PackageUpdateReply(package: package, affectedCompanies: reply.affectedCompanies ?? 0)
            }
        }
        for kind in CatalogKind.allCases {
            writes.post("catalog/\(kind.rawValue)/{key}/retire") { request, context in
                try await idempotent(request, context, as: RetireInput.self) { input, change in
                    countMutation("\(kind)_retire")
                    try await store.retire(kind: kind, key: Self.key(context, "key"), expectedVersion: input.expectedVersion, change: change)
                    return ["status": "retired"]
                }
            }
        }
    }

    func countMutation(_ kind: String) {
        metrics.counter("kisum_core_catalog_mutations_total", help: "Catalog mutations attempted, by kind.",
                        labels: [("kind", kind)]).increment()
    }
}

struct PackageUpdateReply: Codable, Sendable {
    var package: CatalogPackage
    var affectedCompanies: Int

    enum CodingKeys: String, CodingKey {
        case package
        case affectedCompanies = "affected_companies"
    }
}
