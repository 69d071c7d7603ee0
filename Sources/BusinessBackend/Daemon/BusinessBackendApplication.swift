import AccessControl
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformPostgres

/// A business backend as a daemon: everything but its routes comes from the shared layer — the
/// descriptor's shape (`DaemonDescriptor.businessBackend`), its migrations and API document
/// from its bundle, the enforced public routes, the annotated API document and the benchmark
/// twin on the management listener. A backend writes `addRoutes(to:)` and its permission table.
public protocol BusinessBackendApplication: DaemonApplication {
    /// The resources of the backend's module (`Bundle.module`): `Migrations/` and `OpenAPI/<name>.openapi.yaml`.
    static var resources: Bundle { get }
    var backend: BusinessBackendContext { get }
    /// Builds the backend on the shared layer (its own settings parsed here, once).
    init(backend: BusinessBackendContext) throws
    /// Every public route, on the enforced routes (or their benchmark twin).
    func addRoutes(to routes: EnforcedRoutes)
    /// Values of the API document taken from the backend's settings (limits it enforces).
    var apiDocumentSettings: [APIDocumentSetting] { get }
}

extension BusinessBackendApplication {
    public static var migrations: MigrationSet? {
        guard let folder = resources.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: descriptor.name, directory: folder)
    }

    public var apiDocumentSettings: [APIDocumentSetting] { [] }

    public init(context: DaemonContext) async throws {
        try self.init(backend: BusinessBackendContext(context))
    }

    public func addPublicRoutes(to router: Router<PlatformRequestContext>) {
        addRoutes(to: backend.routes(on: router))
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        backend.addAPIDocument(Self.resources.url(forResource: "OpenAPI/\(Self.descriptor.name).openapi", withExtension: "yaml"),
                               settings: apiDocumentSettings, to: router)
        backend.addUnenforcedTwin(on: router, addRoutes)
    }
}

extension DaemonDescriptor {
    /// A business backend's descriptor: its own database (`<PREFIX>_DB_URL`), no Redis, the
    /// access layer required, the shared layer's settings plus `extraKeys`.
    public static func businessBackend(_ name: String, publicPort: Int, managementPort: Int, extraKeys: [ConfigKey] = []) -> DaemonDescriptor {
        DaemonDescriptor(name: name, publicPort: publicPort, managementPort: managementPort, databasePrefix: name.uppercased(), redis: .none,
                         callsServices: true, servesInternalRoutes: false, access: .required,
                         extraKeys: BusinessBackendContext.configKeys + extraKeys)
    }
}
