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
public struct TouringDaemon: BusinessBackendApplication {
    public static let descriptor = DaemonDescriptor.businessBackend("touring", publicPort: 8113, managementPort: 9113)
    public static var resources: Bundle { .module }

    public let backend: BusinessBackendContext

    public init(backend: BusinessBackendContext) {
        self.backend = backend
    }

    /// Every public route, on the enforced routes (or their benchmark twin).
    public func addRoutes(to routes: EnforcedRoutes) {
        TourRoutes(repository: TourRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        ShowRoutes(repository: ShowRepository(database: backend.database, logger: backend.logger)).add(to: routes)
    }
}
