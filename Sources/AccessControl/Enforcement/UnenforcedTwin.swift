import Foundation
import Hummingbird
import PlatformKit

/// Grants every request a company and identity without asking anything: the "unenforced
/// twin" of a service's enforced routes, for benchmarks only (`./kisum bench backends`
/// compares the two in one daemon). The company is `x-org` when it is a company id (so the
/// twin reads the same rows as the enforced route it is compared with), else the configured
/// one. Its requests are logged as public ones are, though it listens on the management
/// listener. It serves reads only (GET). Never configured outside local and dev.
struct FixedAccessMiddleware: RouterMiddleware {
    typealias Context = AccessRequestContext
    let company: UUID

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Reads only: nothing is written without a check, even in dev.
        guard request.method == .get else { throw PlatformError(.methodNotAllowed, "The benchmark twin only reads.") }
        let company = request.headers[.org].flatMap(UUID.init(uuidString:)) ?? company
        var context = context
        context.identity = VerifiedIdentity(userID: company, sessionID: company, keyID: "bench")
        context.access = AccessSnapshot(companyID: company, companySlug: "bench", membershipID: company, coreAppVisible: true,
                                        modules: [], permissions: [], accessVersion: 0, entitlementVersion: 0)
        context.notes.logEveryRequest()
        return try await next(request, context)
    }
}

extension RouterMethods where Context == PlatformRequestContext {
    /// The same routes a service adds to `enforced(_:by:)`, under `path`, with every request
    /// granted the company of `x-org` when it is an id, else `company` (the routes'
    /// requirements are not checked, and nothing is recorded in the API document). For
    /// benchmarks: the cost of enforcement is the difference.
    public func unenforcedTwin(_ path: RouterPath, company: UUID, enforcer: AccessEnforcer) -> EnforcedRoutes {
        EnforcedRoutes(base: group(path, context: AccessRequestContext.self).add(middleware: FixedAccessMiddleware(company: company)),
                       prefix: DeclaredRoutes.join("", path.description), requirements: [], enforcer: enforcer, isTwin: true)
    }
}
