import AccessControl
import AsyncHTTPClient
import Hummingbird
import Logging
import PlatformKit
import PlatformPostgres
import PlatformRedis
import ServiceAuth

/// Everything the kit built for a daemon, handed to its `DaemonApplication`.
public struct DaemonContext: Sendable {
    public let descriptor: DaemonDescriptor
    public let configuration: Configuration
    public let logger: Logger
    public let metrics: PlatformMetrics
    public let database: PlatformDatabase?
    public let redis: RedisClient?
    /// Signs this service's outgoing internal calls.
    public let signer: ServiceCredentialSigner?
    /// Verifies callers of this service's internal routes.
    public let verifier: ServiceCredentialVerifier?
    /// The shared access-enforcement layer, for daemons whose descriptor asks for it (nil when
    /// optional and not configured).
    public let access: AccessEnforcement?

    /// A client for another service's internal routes: trace headers and the service
    /// credential are added to every call.
    public func client(for callee: String, baseURL: String, timeout: Duration = .seconds(5)) -> ServiceHTTPClient {
        ServiceHTTPClient(callee: callee, baseURL: baseURL, client: .shared, timeout: timeout, credentials: signer)
    }

    /// A route group on `router` that requires a valid service credential from one of
    /// `callers` (by default, this service's callers in the network matrix).
    public func internalRoutes(on router: Router<PlatformRequestContext>, path: String = "/internal",
                               callers: Set<String>? = nil) -> RouterGroup<PlatformRequestContext> {
        guard let verifier else {
            preconditionFailure("\(descriptor.name) serves internal routes but its descriptor does not say so")
        }
        return router.group(RouterPath(path)).add(middleware: ServiceAuthMiddleware(
            verifier: verifier, allowedCallers: callers ?? NetworkPolicy.callers(of: descriptor.name), metrics: metrics))
    }
}
