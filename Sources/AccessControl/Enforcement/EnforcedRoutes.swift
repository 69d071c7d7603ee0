import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import PlatformKit

/// Routes behind the enforcement layer (see `RouterMethods.enforced`). Every route added here,
/// or in a group made from it, is recorded with its requirement in the enforcer's
/// `declaredRoutes`, so the daemon's API document shows what each route needs.
public struct EnforcedRoutes: RouterMethods {
    public typealias Context = AccessRequestContext

    let base: RouterGroup<AccessRequestContext>
    /// The path of `base` as declared (relative to where `enforced` was called).
    let prefix: String
    /// Every requirement of the groups this one is nested in, outermost first.
    let requirements: [AccessRequirement]
    let enforcer: AccessEnforcer
    /// An unenforced twin (`unenforcedTwin`): requirements not checked, routes not declared.
    var isTwin = false
    var declared: DeclaredRoutes { enforcer.declaredRoutes }

    @discardableResult
    public func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method,
                                             responder: Responder) -> Self where Responder.Context == Context {
        if !isTwin {
            declared.record(DeclaredRoute(method: method.rawValue, path: DeclaredRoutes.join(prefix, path.description), requirements: requirements))
        }
        base.on(path, method: method, responder: responder)
        return self
    }

    @discardableResult
    public func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        base.add(middleware: middleware)
        return self
    }

    /// Routes under `path` that also need `module` (and `permission`, if given).
    public func requires(_ path: RouterPath = "", module: String, permission: String? = nil) -> EnforcedRoutes {
        requires(AccessRequirement(module: module, permission: permission), under: path)
    }

    /// Routes under `path` that also need the company's Core App (Basic subscription active).
    public func requiresCoreApp(_ path: RouterPath = "") -> EnforcedRoutes { requires(.coreApp, under: path) }

    /// Routes under `path` that also need `requirement` (an entry of a service's permission table).
    public func requires(_ requirement: AccessRequirement, under path: RouterPath = "") -> EnforcedRoutes {
        let group = isTwin ? base.group(path) : base.group(path).add(middleware: AccessRequirementMiddleware(requirement: requirement, enforcer: enforcer))
        return EnforcedRoutes(base: group, prefix: DeclaredRoutes.join(prefix, path.description), requirements: requirements + [requirement],
                              enforcer: enforcer, isTwin: isTwin)
    }
}

/// One enforced route as declared: who may call it is a member of the `x-org` company who
/// meets every one of `requirements` (none: company access alone).
public struct DeclaredRoute: Sendable, Hashable, CustomStringConvertible {
    public let method: String
    /// The route's path pattern, e.g. `/v1/enforced/notes/{id}`.
    public let path: String
    public let requirements: [AccessRequirement]

    public var description: String {
        "\(method) \(path) [\(requirements.isEmpty ? "company access" : requirements.map(\.description).joined(separator: " + "))]"
    }
}

/// The enforced routes a daemon declared, in order.
public final class DeclaredRoutes: Sendable {
    private let routes = NIOLockedValueBox<[DeclaredRoute]>([])

    public init() {}

    public var all: [DeclaredRoute] { routes.withLockedValue { $0 } }

    func record(_ route: DeclaredRoute) { routes.withLockedValue { $0.append(route) } }

    /// Refuses a declaration in which some route needs no permission: every enforced route
    /// names its module and permission (never "a member of the company may"), so a route added
    /// outside a `requires(...)` group stops the daemon at start instead of serving every member.
    public func checkEveryRouteNamesAPermission(service: String) throws {
        let unguarded = all.filter { route in !route.requirements.contains { $0.permission != nil } }
        guard unguarded.isEmpty else { throw RoutesWithoutPermission(service: service, routes: unguarded) }
    }

    /// `/a/b` + `c/{id}` → `/a/b/c/{id}`.
    static func join(_ prefix: String, _ path: String) -> String {
        "/" + (prefix.split(separator: "/") + path.split(separator: "/")).joined(separator: "/")
    }
}

/// Enforced routes were declared without a permission (see `checkEveryRouteNamesAPermission`).
public struct RoutesWithoutPermission: Error, Sendable, CustomStringConvertible {
    public let service: String
    public let routes: [DeclaredRoute]

    public var description: String {
        "\(service): enforced routes must each require a module and a permission; these do not: "
            + routes.map { "\($0.method) \($0.path)" }.joined(separator: ", ")
    }
}
