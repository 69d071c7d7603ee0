import AccessControl
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import PlatformKit
import PlatformPostgres
import PlatformRedis
import Prometheus
import ServiceAuth
import ServiceLifecycle
import UnixSignals

/// Builds and runs a daemon from its `DaemonApplication`: validated configuration, JSON
/// logs, Prometheus metrics, its database pool and Redis client, service credentials, a
/// public and a management listener, readiness, and one `ServiceGroup` that shuts down
/// gracefully on SIGTERM.
public enum Daemon {
    /// The `@main` entry point: reads the process environment; on invalid configuration
    /// prints every problem and exits 1; exits 0 after a graceful shutdown.
    public static func main<App: DaemonApplication>(_ app: App.Type) async -> Never {
        // Request threads never wait on standard output; the lines are flushed before exit.
        let sink = BufferedLogSink()
        do {
            let built = try await build(App.self, environment: ProcessInfo.processInfo.environment, sink: sink, bootstrapGlobals: true)
            let group = built.serviceGroup(signals: true)
            try await group.run()
            built.logger.notice("stopped")
            sink.flush()
            exit(0)
        } catch let error as ConfigError {
            sink.flush()
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            exit(1)
        } catch {
            sink.flush()
            FileHandle.standardError.write(Data("\(App.descriptor.name): failed: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Starts a daemon in this process (tests, tools) and returns once both listeners are bound.
    public static func start<App: DaemonApplication>(_ app: App.Type, environment: [String: String],
                                                     sink: any LogSink = StandardOutputLogSink()) async throws -> RunningDaemon {
        let built = try await build(App.self, environment: environment, sink: sink, bootstrapGlobals: false)
        let group = built.serviceGroup(signals: false)
        let ports = built.ports
        let task = Task {
            do {
                try await group.run()
                ports.fail(DaemonStopped(reason: "the daemon stopped before its listeners were bound"))
            } catch {
                ports.fail(error)  // e.g. a port in use: the caller sees why, at once
                throw error
            }
        }
        do {
            let ports = try await withDeadline(.seconds(10)) { try await ports.wait() }
            return RunningDaemon(name: App.descriptor.name, publicPort: ports.public, managementPort: ports.management,
                                 group: group, task: task, progress: built.progress, metrics: built.context.metrics,
                                 managementRoutes: built.managementRoutes, publicRoutes: built.publicRoutes)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await withDeadline(.seconds(10)) { try await task.value }
            throw error
        }
    }

    /// Validates configuration and builds every component (nothing runs yet).
    static func build<App: DaemonApplication>(_: App.Type, environment: [String: String], sink: any LogSink,
                                              bootstrapGlobals: Bool) async throws -> BuiltDaemon {
        let descriptor = App.descriptor
        let configuration = try ConfigLoader(environment: environment).load(descriptor.configSpec)
        let resolved = try ResolvedSettings(descriptor: descriptor, configuration: configuration)

        let level = configuration.string("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
        let instance = configuration.string("KISUM_INSTANCE") ?? ProcessInfo.processInfo.hostName
        let makeHandler: @Sendable (String) -> any LogHandler = { label in
            JSONLogHandler(label: label, service: descriptor.name, environment: configuration.environment.rawValue,
                           instance: instance, level: level, sink: sink)
        }
        let metrics = PlatformMetrics()
        (sink as? BufferedLogSink)?.countDrops(in: metrics.counter("kisum_log_lines_dropped_total",
                                                                   help: "Log lines dropped because standard output could not keep up."))
        if bootstrapGlobals {
            LoggingSystem.bootstrap(makeHandler)
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        }
        let logger = Logger(label: "kisum.\(descriptor.name)", factory: makeHandler)
        let accessLog = AccessLog(service: descriptor.name, environment: configuration.environment.rawValue, instance: instance,
                                  threshold: level, sink: sink)

        let database = resolved.database.map { PlatformDatabase(settings: $0, metrics: metrics, logger: logger) }
        let redis = resolved.redis.map { RedisClient(configuration: $0, metrics: metrics, logger: logger) }
        let signer: ServiceCredentialSigner? = if let key = resolved.signingKey {
            await ServiceCredentialSigner(service: descriptor.name, key: key)
        } else { nil }
        let verifier: ServiceCredentialVerifier? = if let trusted = resolved.trustedKeys {
            await ServiceCredentialVerifier(service: descriptor.name, trusted: trusted)
        } else { nil }

        let access: AccessEnforcement? = if descriptor.access != .none, let settings = try AccessEnforcementSettings(configuration: configuration) {
            AccessEnforcement(settings: settings, credentials: signer, metrics: metrics, logger: logger)
        } else { nil }
        let context = DaemonContext(descriptor: descriptor, configuration: configuration, logger: logger, metrics: metrics,
                                    database: database, redis: redis, signer: signer, verifier: verifier, access: access)
        let app = try await App(context: context)

        var checks: [ReadinessCheck] = []
        if let database { checks.append(database.readinessCheck()) }
        if let redis { checks.append(redis.readinessCheck(critical: descriptor.redis == .required)) }
        if let access { checks += access.readinessChecks(required: descriptor.access == .required) }
        checks += app.readinessChecks
        let readiness = ReadinessProbe(service: descriptor.name, checks: checks, metrics: metrics)

        let maxBody = configuration.integer("HTTP_MAX_BODY_BYTES") ?? 1 << 20
        let ports = PortReporter(expectPublic: descriptor.publicPort != nil)
        var listeners: [any Service] = []
        var listenerNames: [String] = []
        var publicRoutes: [String] = []
        if descriptor.publicPort != nil, let address = configuration.listenAddress("KISUM_PUBLIC_LISTEN") {
            let router = Router(context: PlatformRequestContext.self)
            router.middlewares.add(RequestLifecycleMiddleware(listener: "public", metrics: metrics, maxBodyBytes: maxBody, accessLog: accessLog))
            router.addLivenessRoute(service: descriptor.name)
            app.addPublicRoutes(to: router)
            try access?.enforcer.declaredRoutes.checkEveryRouteNamesAPermission(service: descriptor.name)
            publicRoutes = router.routes.map { "\($0.method) \($0.path)" }
            listeners.append(Self.listener(router, address: address, logger: logger) { ports.report(public: $0) })
            listenerNames.append("public listener")
        }
        let management = Router(context: PlatformRequestContext.self)
        management.middlewares.add(RequestLifecycleMiddleware(listener: "management", metrics: metrics, maxBodyBytes: maxBody, accessLog: accessLog))
        management.addLivenessRoute(service: descriptor.name)
        management.addManagementRoutes(readiness: readiness, metrics: metrics)
        app.addManagementRoutes(to: management)
        let managementAddress = configuration.listenAddress("KISUM_MANAGEMENT_LISTEN")!
        listeners.append(Self.listener(management, address: managementAddress, logger: logger) { ports.report(management: $0) })
        listenerNames.append("management listener")

        let progress = ServiceProgress()
        var services: [any Service] = []
        if let database { services.append(progress.tracking(database, as: "database pool")) }
        if let redis { services.append(progress.tracking(redis, as: "redis client")) }
        if let access { services.append(progress.tracking(access.follower, as: "access feed follower")) }
        services += app.backgroundServices.map { progress.tracking($0, as: ServiceProgress.name(of: $0)) }
        // Last: on shutdown, listeners stop first, then jobs and pools.
        services += zip(listeners, listenerNames).map { progress.tracking($0, as: $1) }
        return BuiltDaemon(context: context, services: services, progress: progress, ports: ports,
                           grace: configuration.duration("SHUTDOWN_GRACE") ?? .seconds(10),
                           managementRoutes: management.routes.map { "\($0.method) \($0.path)" }, publicRoutes: publicRoutes)
    }

    static func listener(_ router: Router<PlatformRequestContext>, address: ListenAddress, logger: Logger,
                         onBound: @escaping @Sendable (Int) -> Void) -> some Service {
        Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in onBound(channel.localAddress?.port ?? address.port) },
            logger: logger)
    }
}

/// The built but not yet running daemon.
struct BuiltDaemon: Sendable {
    let context: DaemonContext
    let services: [any Service]
    let progress: ServiceProgress
    let ports: PortReporter
    let grace: Duration
    let managementRoutes: [String]
    let publicRoutes: [String]

    var logger: Logger { context.logger }

    func serviceGroup(signals: Bool) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: signals ? [.sigterm, .sigint] : [],
            logger: logger)
        configuration.maximumGracefulShutdownDuration = grace
        // A process that cannot finish cancelling is stopped hard (ServiceLifecycle traps); an
        // in-process daemon (tests, tools) must never take its host process down with it.
        configuration.maximumCancellationDuration = signals ? .seconds(5) : nil
        return ServiceGroup(configuration: configuration)
    }
}

/// A daemon started in-process ended before it was serving.
public struct DaemonStopped: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
