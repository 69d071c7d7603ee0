import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformPostgres

/// Finance: a company's transactions, monthly budgets and the report of one against the
/// other. Every route is behind the shared access layer with the `finance` module and the
/// route's permission (`FinancePermissions`).
public struct FinanceDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "finance", publicPort: 8111, managementPort: 9111, databasePrefix: "FINANCE", redis: .none,
        callsServices: true, servesInternalRoutes: false, access: .required,
        extraKeys: BusinessBackendContext.configKeys)

    public static var migrations: MigrationSet? {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: "finance", directory: folder)
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
        TransactionRoutes(repository: TransactionRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        BudgetRoutes(repository: BudgetRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        ReportRoutes(repository: ReportRepository(database: backend.database, logger: backend.logger)).add(to: routes)
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        backend.addAPIDocument(Bundle.module.url(forResource: "OpenAPI/finance.openapi", withExtension: "yaml"), to: router)
        backend.addUnenforcedTwin(on: router, addRoutes)
    }
}
