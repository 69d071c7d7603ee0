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
public struct MarketDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "market", publicPort: 8112, managementPort: 9112, databasePrefix: "MARKET", redis: .none,
        callsServices: true, servesInternalRoutes: false, access: .required,
        extraKeys: BusinessBackendContext.configKeys)

    public static var migrations: MigrationSet? {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: "market", directory: folder)
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
        ListingRoutes(repository: ListingRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        OfferRoutes(repository: OfferRepository(database: backend.database, logger: backend.logger)).add(to: routes)
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        backend.addAPIDocument(Bundle.module.url(forResource: "OpenAPI/market.openapi", withExtension: "yaml"), to: router)
        backend.addUnenforcedTwin(on: router, addRoutes)
    }
}
