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
public struct FinanceDaemon: BusinessBackendApplication {
    public static let descriptor = DaemonDescriptor.businessBackend("finance", publicPort: 8111, managementPort: 9111)
    public static var resources: Bundle { .module }

    public let backend: BusinessBackendContext

    public init(backend: BusinessBackendContext) {
        self.backend = backend
    }

    /// Every public route, on the enforced routes (or their benchmark twin).
    public func addRoutes(to routes: EnforcedRoutes) {
        TransactionRoutes(repository: TransactionRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        BudgetRoutes(repository: BudgetRepository(database: backend.database, logger: backend.logger)).add(to: routes)
        ReportRoutes(repository: ReportRepository(database: backend.database, logger: backend.logger)).add(to: routes)
    }
}
