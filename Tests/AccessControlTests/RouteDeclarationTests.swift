import AccessControl
import Hummingbird
import Logging
import PlatformKit
import Testing

/// Enforced routes are recorded with their requirements as they are declared, whatever the
/// nesting, so the API document can show them.
@Suite struct RouteDeclarationTests {
    @Test func everyEnforcedRouteIsDeclaredWithItsRequirement() {
        let logger = Logger(label: "test")
        let verifier = JWKSVerifier(jwksURL: "http://127.0.0.1:9/jwks", issuer: "i", audience: "a", cacheTTL: .seconds(60), logger: logger)
        let enforcer = AccessEnforcer(verifier: verifier, auth: ServiceHTTPClient(callee: "auth", baseURL: "http://127.0.0.1:9"),
                                      metrics: PlatformMetrics(), logger: logger)
        let router = Router(context: PlatformRequestContext.self)
        let finance = router.enforced("/v1/finance", by: enforcer)
        finance.get("summary") { _, _ in "ok" }
        finance.requires("transactions", module: "finance", permission: "finance.transactions.read")
            .get("{id}") { _, _ in "ok" }
        finance.requires(module: "finance", permission: "finance.transactions.write")
            .group("transactions").post("/") { _, _ in "ok" }
        finance.requires("reports", module: "finance").requires(module: "finance", permission: "finance.reports.read")
            .get("yearly") { _, _ in "ok" }
        router.get("/open") { _, _ in "ok" }

        #expect(enforcer.declaredRoutes.all.map(\.description) == [
            "GET /v1/finance/summary [company access]",
            "GET /v1/finance/transactions/{id} [finance: finance.transactions.read]",
            "POST /v1/finance/transactions [finance: finance.transactions.write]",
            "GET /v1/finance/reports/yearly [finance + finance: finance.reports.read]",
        ])
        // The router has the same routes (and the open one, undeclared).
        let routed = Set(router.routes.map { "\($0.method) \($0.path)" })
        #expect(routed.count == 5)

        // A route needing company access alone (summary) stops the daemon at start.
        #expect {
            try enforcer.declaredRoutes.checkEveryRouteNamesAPermission(service: "finance")
        } throws: { error in
            (error as? RoutesWithoutPermission)?.description
                == "finance: enforced routes must each require a module and a permission; these do not: GET /v1/finance/summary"
        }
        let guarded = AccessEnforcer(verifier: verifier, auth: ServiceHTTPClient(callee: "auth", baseURL: "http://127.0.0.1:9"),
                                     metrics: PlatformMetrics(), logger: logger)
        router.enforced("/v2", by: guarded).requires(module: "finance", permission: "finance.transactions.read").get("x") { _, _ in "ok" }
        #expect(throws: Never.self) { try guarded.declaredRoutes.checkEveryRouteNamesAPermission(service: "finance") }
    }
}
