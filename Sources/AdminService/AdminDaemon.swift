import AccessControl
import AsyncHTTPClient
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformPostgres

/// Platform Admin: audited platform administration over Auth and Core, for platform
/// administrators, the operations console and runbooks. It keeps only its audit trail
/// (`admin_db`); everything else is Auth's or Core's, reached over their internal routes.
public struct AdminDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "admin", publicPort: 8103, managementPort: 9103, databasePrefix: "ADMIN", redis: .none,
        callsServices: true, servesInternalRoutes: false, access: .required,
        extraKeys: [
            ConfigKey("CORE_INTERNAL_URL", .url(schemes: ["http", "https"]), .localDefault("http://127.0.0.1:9102"),
                      summary: "Platform Core's management URL"),
            ConfigKey("OPERATIONS_TARGETS", .string,
                      .localDefault("core=http://127.0.0.1:9102,auth=http://127.0.0.1:9101,admin=http://127.0.0.1:9103"),
                      summary: "The operations overview's daemons: name=management URL, comma separated"),
            ConfigKey("OPERATIONS_TIMEOUT", .duration, .defaulted("1s"), summary: "Deadline per daemon in the operations overview"),
        ])

    public static var migrations: MigrationSet? {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: "admin", directory: folder)
    }

    let context: DaemonContext
    let routes: AdminRoutes

    public init(context: DaemonContext) async throws {
        self.context = context
        let configuration = context.configuration
        guard let targets = OperationsOverview.targets(configuration.string("OPERATIONS_TARGETS") ?? "") else {
            throw ConfigError(service: "admin", problems: [.init(variable: "OPERATIONS_TARGETS", reason: "is name=url[,name=url…]")])
        }
        guard let access = context.access else {
            throw ConfigError(service: "admin", problems: [.init(variable: "AUTH_INTERNAL_URL", reason: "is required")])
        }
        // Administrative writes through Auth are read back at once by this instance; the
        // others hear of them from the feed within a second.
        let auth = Upstream(client: context.client(for: "auth", baseURL: access.settings.authInternalURL, timeout: .seconds(5)),
                            afterWrite: { [enforcer = access.enforcer] in enforcer.forgetDecisions() })
        let core = Upstream(client: context.client(for: "core", baseURL: configuration.string("CORE_INTERNAL_URL")!, timeout: .seconds(5)))
        let audit = PostgresAuditLog(database: context.database!, logger: context.logger)
        let gate = AdminGate(enforcer: access.enforcer, audit: audit, metrics: context.metrics, logger: context.logger)
        routes = AdminRoutes(gate: gate, actions: AdminActions(gate: gate, audit: audit, metrics: context.metrics, logger: context.logger),
                             auth: auth, core: core, audit: audit,
                             overview: OperationsOverview(targets: targets, timeout: configuration.duration("OPERATIONS_TIMEOUT") ?? .seconds(1),
                                                          client: .shared))
    }

    public func addPublicRoutes(to router: Router<PlatformRequestContext>) {
        routes.add(to: router)
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        router.addAPIDocument(Bundle.module.url(forResource: "OpenAPI/admin.openapi", withExtension: "yaml"))
    }
}
