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
public struct BasicDaemon: BusinessBackendApplication {
    public static let descriptor = DaemonDescriptor.businessBackend("basic", publicPort: 8110, managementPort: 9110)
    public static var resources: Bundle { .module }

    public let backend: BusinessBackendContext

    public init(backend: BusinessBackendContext) {
        self.backend = backend
    }

    /// Every public route, on the enforced routes (or their benchmark twin).
    public func addRoutes(to routes: EnforcedRoutes) {
        let routes = routes.requiresCoreApp()
        ContactRoutes(repository: ContactRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        CalendarRoutes(repository: CalendarEventRepository(database: backend.database, logger: backend.logger)).add(to: routes)
    }
}
