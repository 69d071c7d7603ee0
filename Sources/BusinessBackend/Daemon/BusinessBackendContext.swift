import AccessControl
import Foundation
import Hummingbird
import Logging
import PlatformDaemon
import PlatformKit
import PlatformPostgres

/// What every business backend builds on, taken once from its `DaemonContext`: its database,
/// the shared access layer and where its routes go. A backend adds its routes, repositories
/// and permission table; nothing about access is its own.
public struct BusinessBackendContext: Sendable {
    public let daemon: DaemonContext
    public let database: PlatformDatabase
    public let enforcement: AccessEnforcement
    public var logger: Logger { daemon.logger }

    /// Refuses to start a backend without a database or the access layer (its descriptor
    /// declares both; the configuration check reports what is missing before this).
    public init(_ daemon: DaemonContext) throws {
        guard let database = daemon.database else {
            throw ConfigError(service: daemon.descriptor.name, problems: [
                .init(variable: "\(daemon.descriptor.databasePrefix ?? "?")_DB_URL", reason: "a business backend needs its database"),
            ])
        }
        guard let enforcement = daemon.access else {
            throw ConfigError(service: daemon.descriptor.name, problems: [
                .init(variable: "AUTH_JWKS_URL", reason: "a business backend needs the access layer (Auth's JWKS and internal URL)"),
            ])
        }
        self.daemon = daemon
        self.database = database
        self.enforcement = enforcement
    }

    /// The backend's public routes under `/v1`, every one behind the access layer.
    public func routes(on router: Router<PlatformRequestContext>, path: RouterPath = "/v1") -> EnforcedRoutes {
        router.enforced(path, by: enforcement.enforcer)
    }

    /// The API document at `/openapi.yaml` (management listener), each enforced operation
    /// annotated with what it needs.
    public func addAPIDocument(_ url: URL?, to router: Router<PlatformRequestContext>) {
        router.addAPIDocument(url, enforced: enforcement.enforcer.declaredRoutes)
    }
}
