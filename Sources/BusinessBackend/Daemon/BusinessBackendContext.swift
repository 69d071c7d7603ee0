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
    /// For benchmarks only: the company of the unenforced twin (`addUnenforcedTwin`).
    let twinCompany: UUID?
    public var logger: Logger { daemon.logger }

    /// The settings every business backend reads besides the kit's (its descriptor lists them).
    public static let configKeys: [ConfigKey] = [
        ConfigKey("BENCH_UNENFORCED_TWIN_COMPANY", .string, .optional,
                  summary: "Benchmarks only (local, dev): serve the public routes again under /bench-twin on the management listener, every request granted this company id without any access check"),
    ]

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
        if let raw = daemon.configuration.string("BENCH_UNENFORCED_TWIN_COMPANY") {
            guard let company = UUID(uuidString: raw) else {
                throw ConfigError(service: daemon.descriptor.name, problems: [.init(variable: "BENCH_UNENFORCED_TWIN_COMPANY", reason: "must be a company id (UUID)")])
            }
            guard [.local, .dev].contains(daemon.configuration.environment) else {
                throw ConfigError(service: daemon.descriptor.name, problems: [
                    .init(variable: "BENCH_UNENFORCED_TWIN_COMPANY", reason: "serves routes without access checks: refused outside local and dev"),
                ])
            }
            twinCompany = company
        } else {
            twinCompany = nil
        }
    }

    /// The backend's public routes under `/v1`, every one behind the access layer.
    public func routes(on router: Router<PlatformRequestContext>, path: RouterPath = "/v1") -> EnforcedRoutes {
        router.enforced(path, by: enforcement.enforcer)
    }

    /// With `BENCH_UNENFORCED_TWIN_COMPANY` set (local and dev only): the routes `add` puts on
    /// `routes(on:)`, again under `/bench-twin/v1` on `router` (the management listener), every
    /// request granted that company without a check — what `./kisum bench backends` compares
    /// against. Without it, nothing.
    public func addUnenforcedTwin(on router: Router<PlatformRequestContext>, _ add: (EnforcedRoutes) -> Void) {
        guard let twinCompany else { return }
        logger.warning("serving the unenforced benchmark twin under /bench-twin (BENCH_UNENFORCED_TWIN_COMPANY)")
        add(router.unenforcedTwin("/bench-twin/v1", company: twinCompany, enforcer: enforcement.enforcer))
    }

    /// The API document at `/openapi.yaml` (management listener), each enforced operation
    /// annotated with what it needs.
    public func addAPIDocument(_ url: URL?, settings: [APIDocumentSetting], to router: Router<PlatformRequestContext>) {
        router.addAPIDocument(url, enforced: enforcement.enforcer.declaredRoutes, settings: settings)
    }
}
