import Hummingbird
import Logging
import PlatformKit
import Prometheus

/// Guards internal routes: requires a valid service credential in `x-kisum-service-token`
/// from one of `allowedCallers`. Browser and user tokens (`Authorization`) are never
/// considered. Failures answer 401 (`service_credential_invalid`) or 403
/// (`service_not_allowed`), are logged as authentication failures and counted.
public struct ServiceAuthMiddleware<Context: PlatformContext>: RouterMiddleware {
    let verifier: ServiceCredentialVerifier
    let allowedCallers: Set<String>
    let metrics: PlatformMetrics

    public init(verifier: ServiceCredentialVerifier, allowedCallers: Set<String>, metrics: PlatformMetrics) {
        self.verifier = verifier
        self.allowedCallers = allowedCallers
        self.metrics = metrics
    }

    public static var missingCode: PlatformError.Code { .init("service_credential_required", .unauthorized) }
    public static var invalidCode: PlatformError.Code { .init("service_credential_invalid", .unauthorized) }
    public static var notAllowedCode: PlatformError.Code { .init("service_not_allowed", .forbidden) }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            guard let token = request.headers[.serviceCredential], !token.isEmpty else {
                throw ServiceAuthError(.missing, "no service credential")
            }
            let caller = try await verifier.verify(token, allowedCallers: allowedCallers)
            context.notes.serviceCaller = caller
            var context = context
            context.logger[metadataKey: "caller_service"] = .string(caller)
            return try await next(request, context)
        } catch let error as ServiceAuthError {
            metrics.counter("kisum_service_auth_failures_total", help: "Internal calls refused for their service credential, by reason.", labels: [("reason", error.reason.name)]).increment()
            context.logger.warning("service authentication failed", metadata: [
                "auth_failure": .string(error.reason.name), "auth_detail": .string(error.message),
            ])
            switch error.reason {
            case .missing: throw PlatformError(Self.missingCode, "This internal route requires a service credential.")
            case .callerNotAllowed: throw PlatformError(Self.notAllowedCode, "This service may not call this route.")
            default: throw PlatformError(Self.invalidCode, "The service credential is not valid here.")
            }
        }
    }
}
