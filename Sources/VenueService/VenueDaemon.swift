import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformPostgres

/// Venue: a company's venues and their bookings; two confirmed bookings of one venue never
/// overlap (the database's exclusion constraint). Every route is behind the shared access layer
/// with the `venue` module and the route's permission (`VenuePermissions`).
public struct VenueDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "venue", publicPort: 8114, managementPort: 9114, databasePrefix: "VENUE", redis: .none,
        callsServices: true, servesInternalRoutes: false, access: .required,
        extraKeys: BusinessBackendContext.configKeys)

    public static var migrations: MigrationSet? {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: "venue", directory: folder)
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
        VenueRoutes(repository: VenueRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        BookingRoutes(repository: BookingRepository(database: backend.database, logger: backend.logger)).add(to: routes)
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        backend.addAPIDocument(Bundle.module.url(forResource: "OpenAPI/venue.openapi", withExtension: "yaml"), to: router)
        backend.addUnenforcedTwin(on: router, addRoutes)
    }
}
