import Crypto
import Foundation
import Hummingbird
import Logging
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import Prometheus
import ServiceLifecycle

/// Auth: identity, sessions, memberships, roles, permissions, delegation and access
/// aggregation; issues identity-only RS256 access tokens and publishes the JWKS.
///
/// The daemon wires `AuthComponents` (built once from the configuration) to its routes and
/// background jobs; its configuration is declared in `AuthDaemon+Descriptor`.
public struct AuthDaemon: DaemonApplication {
    public static var migrations: MigrationSet? {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: "auth", directory: folder)
    }

    let context: DaemonContext
    let parts: AuthComponents

    /// The key ring every instance signs and verifies with.
    public var ring: KeyRing { parts.ring }

    public init(context: DaemonContext) async throws {
        self.context = context
        parts = try await AuthComponents(context: context)
    }

    public func addPublicRoutes(to router: Router<PlatformRequestContext>) {
        let p = parts
        p.keyRoutes.addPublic(to: router)
        SessionRoutes(sessions: p.sessions, passwords: p.passwords, ring: p.ring, authenticator: p.authenticator,
                      accessTTL: p.accessTTL, refreshTTL: p.refreshTTL, metrics: context.metrics, dummyHash: p.dummyHash,
                      limits: p.rateLimits, feed: p.feed).add(to: router)
        AccessRoutes(authenticator: p.authenticator, repository: p.repository, access: p.access, denials: p.denials, memory: p.memory)
            .add(to: router)
        PasswordRoutes(repository: p.passwordRecords, sessions: p.sessions, passwords: p.passwords, authenticator: p.authenticator,
                       sender: p.resetSender, limits: p.rateLimits, feed: p.feed).add(to: router)
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        let p = parts
        router.addAPIDocument(Bundle.module.url(forResource: "OpenAPI/auth.openapi", withExtension: "yaml"))
        p.keyRoutes.addInternal(to: router, context: context)
        EntitlementSignalRoutes(database: p.database, feed: p.feed).add(to: router, context: context)
        AccessContextRoutes(sessions: p.sessions, repository: p.repository, access: p.access, denials: p.denials, feed: p.feed).add(to: router, context: context)
        ExplainAccessRoutes(sessions: p.sessions, repository: p.repository, access: p.access).add(to: router, context: context)
        AdminContextRoutes(sessions: p.sessions, repository: p.repository, denials: p.denials).add(to: router, context: context)
        AdminSessionRoutes(feed: p.feed, sessions: p.sessions).add(to: router, context: context)
        AccessFeedRoutes(publisher: p.feed).add(to: router, context: context)
        IdentityAdminRoutes(feed: p.feed, database: p.database, passwords: p.passwords, audit: p.sessions, logger: context.logger)
            .add(to: router, context: context)
        IdentityQueryRoutes(database: p.database, repository: p.repository).add(to: router, context: context)
        UserAdminRoutes(feed: p.feed, database: p.database, audit: p.sessions).add(to: router, context: context)
        RoleAdminRoutes(feed: p.feed, database: p.database, audit: p.sessions).add(to: router, context: context)
        MembershipAdminRoutes(feed: p.feed, database: p.database, audit: p.sessions).add(to: router, context: context)
        DelegationAdminRoutes(feed: p.feed, database: p.database, audit: p.sessions).add(to: router, context: context)
    }

    public var readinessChecks: [ReadinessCheck] {
        [ReadinessCheck(name: "signing_keys", critical: true) { [ring = parts.ring] in
            if ring.activeKid == nil { throw ReadinessFailure("no active signing key loaded") }
        }]
    }

    public var backgroundServices: [any Service] {
        let p = parts
        let delivery: [any Service] = (p.resetSender as? WebhookPasswordResetSender).map { [$0] } ?? []
        return delivery + [
            p.feed,
            PeriodicJob(name: "signing_keys", interval: p.keyLifecycleInterval, metrics: context.metrics, logger: context.logger,
                        wake: p.ring.reloadRequests) {
                [metrics = context.metrics] in try await p.advanceSigningKeys(metrics: metrics)
            },
            PeriodicJob(name: "rate_limit_sweep", interval: .seconds(60), metrics: context.metrics, logger: context.logger) {
                try await p.rateLimiter.sweep(olderThan: .seconds(3600))
                try await p.sessions.forgetSealedSuccessors()
            },
        ]
    }
}
