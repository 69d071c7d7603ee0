import Foundation
import Hummingbird
import PlatformKit

/// Grants every request one fixed company and identity without asking anything: the
/// "unenforced twin" of a service's enforced routes, for benchmarks only (`./kisum bench
/// backends` compares the two in one daemon). Never configured outside local and dev.
struct FixedAccessMiddleware: RouterMiddleware {
    typealias Context = AccessRequestContext
    let identity: VerifiedIdentity
    let access: AccessSnapshot

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = identity
        context.access = access
        return try await next(request, context)
    }
}

extension RouterMethods where Context == PlatformRequestContext {
    /// The same routes a service adds to `enforced(_:by:)`, under `path`, with every request
    /// granted `company` (its routes' requirements are not checked, and nothing is recorded in
    /// the API document). For benchmarks: the cost of enforcement is the difference.
    public func unenforcedTwin(_ path: RouterPath, company: UUID, enforcer: AccessEnforcer) -> EnforcedRoutes {
        let access = AccessSnapshot(companyID: company, companySlug: "bench", membershipID: company, coreAppVisible: true, modules: [],
                                    permissions: [], accessVersion: 0, entitlementVersion: 0)
        let identity = VerifiedIdentity(userID: company, sessionID: company, keyID: "bench")
        return EnforcedRoutes(base: group(path, context: AccessRequestContext.self).add(middleware: FixedAccessMiddleware(identity: identity, access: access)),
                              prefix: DeclaredRoutes.join("", path.description), requirements: [], enforcer: enforcer, isTwin: true)
    }
}
