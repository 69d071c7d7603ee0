import Foundation
import Hummingbird
import PlatformKit
import PlatformPostgres
import ServiceLifecycle

/// A service library's daemon: the descriptor and how to build routes and background work
/// from the shared `DaemonContext`. The kit does the rest (config, logging, metrics,
/// listeners, readiness, lifecycle), so every daemon is built the same way.
public protocol DaemonApplication: Sendable {
    static var descriptor: DaemonDescriptor { get }
    /// The daemon's database migrations, if it has a database.
    static var migrations: MigrationSet? { get }

    init(context: DaemonContext) async throws

    /// Routes of the public listener (absent for daemons without one).
    func addPublicRoutes(to router: Router<PlatformRequestContext>)
    /// Internal and admin routes of the management listener (guard them with
    /// `context.internalRoutes(on:)`).
    func addManagementRoutes(to router: Router<PlatformRequestContext>)
    /// Readiness checks beyond the database and Redis.
    var readinessChecks: [ReadinessCheck] { get }
    /// Background jobs, run and shut down with the daemon.
    var backgroundServices: [any Service] { get }
}

extension DaemonApplication {
    public static var migrations: MigrationSet? { nil }
    public func addPublicRoutes(to router: Router<PlatformRequestContext>) {}
    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {}
    public var readinessChecks: [ReadinessCheck] { [] }
    public var backgroundServices: [any Service] { [] }
}

/// The addresses of every daemon on a local machine, for wiring daemons to each other.
public struct LocalTopology: Sendable {
    /// Service name → `http://127.0.0.1:port` of its management listener.
    public let managementURLs: [String: String]
    /// Service name → `http://127.0.0.1:port` of its public listener.
    public let publicURLs: [String: String]

    public init(managementURLs: [String: String], publicURLs: [String: String]) {
        self.managementURLs = managementURLs
        self.publicURLs = publicURLs
    }

    /// Where an enforcing daemon finds Auth on this machine: its internal URL, its JWKS and the
    /// issuer its tokens name.
    public var accessEnvironment: [String: String] {
        var environment: [String: String] = [:]
        if let auth = managementURLs["auth"] { environment["AUTH_INTERNAL_URL"] = auth }
        if let auth = publicURLs["auth"] {
            environment["AUTH_JWKS_URL"] = auth + "/.well-known/jwks.json"
            environment["JWT_ISSUER"] = auth
        }
        return environment
    }
}

/// Local-only hooks used by `./kisum up`.
public protocol LocalDevelopmentHooks {
    /// Extra variables for the local environment file (peer URLs and the like).
    static func localEnvironment(topology: LocalTopology) -> [String: String]
    /// Inserts demo data through the running daemons; must be idempotent.
    static func seedDemoData(topology: LocalTopology, state: URL) async throws
    /// Secrets the daemon needs locally beyond database, Redis and service keys: variable
    /// name → generator. Generated once into the state folder and passed as `NAME_FILE`.
    static func localSecrets() -> [String: @Sendable () -> String]
}

extension LocalDevelopmentHooks {
    /// Nothing beyond what every daemon of its kind gets (an enforcing daemon is pointed at the
    /// local Auth by the setup itself).
    public static func localEnvironment(topology: LocalTopology) -> [String: String] { [:] }
    public static func localSecrets() -> [String: @Sendable () -> String] { [:] }
}

/// The demo companies `./kisum up` seeds, shared by every service's seed so that Auth's
/// companies and Core's subscriptions line up.
public enum DemoCompanies {
    /// Basic active, plus the Finance and Market add-ons.
    public static let acme = UUID(uuidString: "0d7a4c8e-0000-4000-8000-00000000a001")!
    /// No Basic subscription; Market and AI add-ons only.
    public static let beacon = UUID(uuidString: "0d7a4c8e-0000-4000-8000-00000000b002")!
    /// Basic canceled (no Core App), Touring and Venue add-ons active.
    public static let cobalt = UUID(uuidString: "0d7a4c8e-0000-4000-8000-00000000c003")!
    /// Suspended in Auth; Basic active in Core.
    public static let dormant = UUID(uuidString: "0d7a4c8e-0000-4000-8000-00000000d004")!
}
