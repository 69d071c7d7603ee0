import HTTPTypes
import Hummingbird
import PlatformKit
import PlatformPostgres
import Prometheus

extension CoreRoutes {
    /// Catalog mutations (Admin only), each audited; package changes bump affected companies.
    func addCatalogWrites(to writes: RouterGroup<PlatformRequestContext>) {
        writes.post("catalog/modules") { request, context in
            try await idempotent(request, context, as: CatalogItemInput.self, kind: "module_create") { input, change in
                try input.validate()
                return try await store.createModule(key: input.key, name: input.name, change: change)
            }
        }
        writes.post("catalog/packages") { request, context in
            try await idempotent(request, context, as: CatalogItemInput.self, kind: "package_create") { input, change in
                try input.validate()
                return try await store.createPackage(key: input.key, name: input.name, modules: input.modules ?? [], change: change)
            }
        }
        writes.post("catalog/addons") { request, context in
            try await idempotent(request, context, as: CatalogItemInput.self, kind: "addon_create") { input, change in
                try input.validate()
                guard let module = input.module else { throw PlatformError(.validationFailed, "module is required") }
                return try await store.createAddon(key: input.key, name: input.name, module: module, change: change)
            }
        }
        writes.put("catalog/packages/{key}") { request, context in
            try await idempotent(request, context, as: PackageUpdateInput.self, kind: "package_update") { input, change in
                let key = try Self.key(context, "key")
                try CatalogItemInput(key: key, name: input.name, modules: input.modules).validate()
                let (package, reply) = try await store.updatePackage(key: key, name: input.name, modules: input.modules,
                                                                     expectedVersion: input.expectedVersion, change: change)
                return PackageUpdateReply(package: package, affectedCompanies: reply.affectedCompanies ?? 0)
            }
        }
        for kind in [CatalogKind.module, .addon] {
            writes.put("catalog/\(kind.rawValue)/{key}") { request, context in
                try await idempotent(request, context, as: RenameInput.self, kind: "\(kind)_rename") { input, change in
                    try TextInput.requireLength(input.name, 1...200, field: "name")
                    let version = try await store.rename(kind: kind, key: Self.key(context, "key"), name: input.name,
                                                         expectedVersion: input.expectedVersion, change: change)
                    return ["version": version]
                }
            }
        }
        for kind in CatalogKind.allCases {
            writes.post("catalog/\(kind.rawValue)/{key}/retire") { request, context in
                try await idempotent(request, context, as: RetireInput.self, kind: "\(kind)_retire") { input, change in
                    try await store.retire(kind: kind, key: Self.key(context, "key"), expectedVersion: input.expectedVersion, change: change)
                    return ["status": "retired"]
                }
            }
        }
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
