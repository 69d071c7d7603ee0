import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformPostgres

/// Basic, the Core App's backend: a company's contacts and calendar. Every route is behind
/// the shared access layer and needs the company's Basic subscription (`core_app_visible`),
/// the `core_app` module and the route's permission (`BasicPermissions`).
public struct BasicDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "basic", publicPort: 8110, managementPort: 9110, databasePrefix: "BASIC", redis: .none,
        callsServices: true, servesInternalRoutes: false, access: .required,
        extraKeys: BusinessBackendContext.configKeys)

    public static var migrations: MigrationSet? {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: "basic", directory: folder)
    }

    let backend: BusinessBackendContext

    public init(context: DaemonContext) async throws {
        backend = try BusinessBackendContext(context)
    }

    public func addPublicRoutes(to router: Router<PlatformRequestContext>) {
        addRoutes(to: backend.routes(on: router))
    }

    /// Every public route, on the enforced routes (or their benchmark twin).
    func addRoutes(to routes: EnforcedRoutes) {
        let routes = routes.requiresCoreApp()
        ContactRoutes(repository: ContactRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        CalendarRoutes(repository: CalendarEventRepository(database: backend.database, logger: backend.logger)).add(to: routes)
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        backend.addAPIDocument(Bundle.module.url(forResource: "OpenAPI/basic.openapi", withExtension: "yaml"), to: router)
        backend.addUnenforcedTwin(on: router, addRoutes)
    }
}
