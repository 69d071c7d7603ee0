import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformPostgres

/// Touring: a company's tours and their shows (date, city, venue reference, hold → confirmed →
/// canceled). Every route is behind the shared access layer with the `touring` module and the
/// route's permission (`TouringPermissions`).
public struct TouringDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "touring", publicPort: 8113, managementPort: 9113, databasePrefix: "TOURING", redis: .none,
        callsServices: true, servesInternalRoutes: false, access: .required,
        extraKeys: BusinessBackendContext.configKeys)

    public static var migrations: MigrationSet? {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: "touring", directory: folder)
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
        TourRoutes(repository: TourRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        ShowRoutes(repository: ShowRepository(database: backend.database, logger: backend.logger)).add(to: routes)
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        backend.addAPIDocument(Bundle.module.url(forResource: "OpenAPI/touring.openapi", withExtension: "yaml"), to: router)
        backend.addUnenforcedTwin(on: router, addRoutes)
    }
}
