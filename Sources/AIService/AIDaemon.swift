import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformPostgres

/// AI: an assist route over a provider (the built-in `local` one, or an OpenAI-compatible API)
/// with per-company daily quotas and a record of every call in its own database. Every route is
/// behind the shared access layer with the `ai` module and the route's permission (`AIPermissions`).
public struct AIDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "ai", publicPort: 8115, managementPort: 9115, databasePrefix: "AI", redis: .none,
        callsServices: true, servesInternalRoutes: false, access: .required, extraKeys: AISettings.keys + BusinessBackendContext.configKeys)

    public static var migrations: MigrationSet? {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: "ai", directory: folder)
    }

    let backend: BusinessBackendContext
    let settings: AISettings

    public init(context: DaemonContext) async throws {
        backend = try BusinessBackendContext(context)
        settings = try AISettings(context.configuration, service: Self.descriptor.name)
    }

    public func addPublicRoutes(to router: Router<PlatformRequestContext>) {
        addRoutes(to: backend.routes(on: router))
    }

    /// Every public route, on the enforced routes (or their benchmark twin).
    func addRoutes(to routes: EnforcedRoutes) {
        AssistRoutes(provider: settings.makeProvider(logger: backend.logger),
                     usage: UsageRepository(database: backend.database, logger: backend.logger), settings: settings,
                     metrics: AIMetrics(backend.daemon.metrics)).add(to: routes)
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        backend.addAPIDocument(Bundle.module.url(forResource: "OpenAPI/ai.openapi", withExtension: "yaml"), to: router)
        backend.addUnenforcedTwin(on: router, addRoutes)
    }
}
