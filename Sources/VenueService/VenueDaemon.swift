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
public struct VenueDaemon: BusinessBackendApplication {
    public static let descriptor = DaemonDescriptor.businessBackend("venue", publicPort: 8114, managementPort: 9114)
    public static var resources: Bundle { .module }

    public let backend: BusinessBackendContext

    public init(backend: BusinessBackendContext) {
        self.backend = backend
    }

    /// Every public route, on the enforced routes (or their benchmark twin).
    public func addRoutes(to routes: EnforcedRoutes) {
        VenueRoutes(repository: VenueRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        BookingRoutes(repository: BookingRepository(database: backend.database, logger: backend.logger)).add(to: routes)
    }
}
