import Hummingbird
import PlatformKit

/// What a route group needs beyond company access: a module the company is entitled to and the
/// membership holds, and a permission of the membership (a permission is `module.resource.action`).
public struct AccessRequirement: Sendable, Hashable, CustomStringConvertible {
    public let module: String
    public let permission: String?
    /// The company's Basic subscription is active (the Core App is visible): Basic's routes.
    public let coreAppVisible: Bool

    public init(module: String, permission: String? = nil) {
        precondition(permission.map { $0.hasPrefix(module + ".") } ?? true, "\(permission ?? "") is not a permission of \(module)")
        self.module = module
        self.permission = permission
        coreAppVisible = false
    }

    private init(coreAppVisible: Bool) {
        module = "core_app"
        permission = nil
        self.coreAppVisible = coreAppVisible
    }

    /// The Core App is visible to the company (its Basic subscription is active). An add-on's
    /// module may be active without it; never assume one implies the other.
    public static let coreApp = AccessRequirement(coreAppVisible: true)

    public var description: String {
        if coreAppVisible { return "core_app_visible" }
        return permission.map { "\(module): \($0)" } ?? module
    }

    /// Refuses `access` unless it meets the requirement.
    public func check(_ access: AccessSnapshot) throws {
        if coreAppVisible {
            guard access.coreAppVisible else {
                throw PlatformError(AccessError.moduleNotEntitled, "The Core App is not active for this company (no Basic subscription).")
            }
            return
        }
        guard access.has(module: module) else {
            throw PlatformError(AccessError.moduleNotEntitled, "The \(module) module is not enabled for you in this company.")
        }
        if let permission, !access.has(permission: permission) {
            throw PlatformError(AccessError.permissionDenied, "You do not have \(permission) in this company.")
        }
    }
}

/// Decides access for every request of an enforced group (see `RouterMethods.enforced`).
struct AccessEnforcementMiddleware: RouterMiddleware {
    typealias Context = AccessRequestContext
    let enforcer: AccessEnforcer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let context = try await refusalsCounted { try await decide(request, context: context) }
        return try await next(request, context)
    }

    /// `body`, with each refusal it throws counted by code.
    private func refusalsCounted<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as PlatformError where AccessError.codes.contains(error.code) {
            enforcer.refused(error.code)
            throw error
        }
    }

    /// The request's context with the identity and access granted, or the refusal.
    private func decide(_ request: Request, context: Context) async throws -> Context {
        let identity = try await enforcer.identity(authorization: request.headers[.authorization])
        context.notes.identify(userID: identity.userID.lowercased, sessionID: identity.sessionID.lowercased)
        guard let raw = request.headers[.org], !raw.isEmpty else {
            throw PlatformError(AccessError.xOrgMissing, "Name the company with x-org (its id or slug).")
        }
        guard let org = OrgReference(raw) else {
            throw PlatformError(AccessError.xOrgMissing, "x-org must be a company id or slug.")
        }
        let access = try await enforcer.access(of: identity, in: org)
        context.notes.identify(companyID: access.companyID.lowercased)
        var context = context
        context.identity = identity
        context.access = access
        return context
    }
}

/// Refuses requests whose granted access misses the group's requirement.
struct AccessRequirementMiddleware: RouterMiddleware {
    typealias Context = AccessRequestContext
    let requirement: AccessRequirement
    let enforcer: AccessEnforcer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            try requirement.check(try context.granted().access)
        } catch let error as PlatformError where AccessError.codes.contains(error.code) {
            enforcer.refused(error.code, requirement: requirement)
            throw error
        }
        return try await next(request, context)
    }
}

extension RouterMethods where Context == PlatformRequestContext {
    /// Routes under `path` for signed-in members of the company named by `x-org`: every request
    /// passes `enforcer` first (token, `x-org`, the access ladder) and its handlers get an
    /// `AccessRequestContext` carrying the identity and access. Call it on the router itself
    /// (the declared paths, shown in the API document, start where it is called).
    public func enforced(_ path: RouterPath = "", by enforcer: AccessEnforcer) -> EnforcedRoutes {
        EnforcedRoutes(base: group(path, context: AccessRequestContext.self).add(middleware: AccessEnforcementMiddleware(enforcer: enforcer)),
                       prefix: DeclaredRoutes.join("", path.description), requirements: [], enforcer: enforcer)
    }
}
