import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import ServiceLifecycle

/// AI: an assist route over a provider (the built-in `local` one, or an OpenAI-compatible API)
/// with per-company daily quotas and a record of every call in its own database. Every route is
/// behind the shared access layer with the `ai` module and the route's permission (`AIPermissions`).
public struct AIDaemon: BusinessBackendApplication {
    public static let descriptor = DaemonDescriptor.businessBackend("ai", publicPort: 8115, managementPort: 9115, extraKeys: AISettings.keys)
    public static var resources: Bundle { .module }

    public let backend: BusinessBackendContext
    let settings: AISettings
    let provider: any AssistProvider
    let providerClient: ProviderHTTPClient?

    public init(backend: BusinessBackendContext) throws {
        self.backend = backend
        settings = try AISettings(backend.daemon.configuration, service: Self.descriptor.name)
        (provider, providerClient) = settings.makeProvider(logger: backend.logger)
    }

    /// The text limit the assist route enforces, as configured, in the served API document.
    public var apiDocumentSettings: [APIDocumentSetting] {
        [APIDocumentSetting(["components", "schemas", "AssistInput", "properties", "text", "maxLength"], settings.maxInputCharacters)]
    }

    /// The provider's own HTTP client, closed after the listeners have drained.
    public var backgroundServices: [any Service] { providerClient.map { [$0] } ?? [] }

    /// Every public route, on the enforced routes (or their benchmark twin).
    public func addRoutes(to routes: EnforcedRoutes) {
        AssistRoutes(provider: provider,
                     usage: UsageRepository(database: backend.database, logger: backend.logger), settings: settings,
                     metrics: AIMetrics(backend.daemon.metrics)).add(to: routes)
    }
}
