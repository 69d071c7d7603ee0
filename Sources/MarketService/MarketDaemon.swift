import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformPostgres

/// Market: listings a company publishes to every company with the market module, and offers
/// from other companies that the listing's owner accepts or rejects. Every route is behind the
/// shared access layer with the `market` module and the route's permission (`MarketPermissions`).
public struct MarketDaemon: BusinessBackendApplication {
    public static let descriptor = DaemonDescriptor.businessBackend("market", publicPort: 8112, managementPort: 9112)
    public static var resources: Bundle { .module }

    public let backend: BusinessBackendContext

    public init(backend: BusinessBackendContext) {
        self.backend = backend
    }

    /// Every public route, on the enforced routes (or their benchmark twin).
    public func addRoutes(to routes: EnforcedRoutes) {
        ListingRoutes(repository: ListingRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        OfferRoutes(repository: OfferRepository(database: backend.database, logger: backend.logger)).add(to: routes)
    }
}
