import Logging
import PlatformKit

/// The enforcement layer as a daemon runs it: the decision (`enforcer`), the change feed that
/// keeps its memory current (`follower`, a background service) and a readiness report.
public struct AccessEnforcement: Sendable {
    public let settings: AccessEnforcementSettings
    public let verifier: JWKSVerifier
    public let enforcer: AccessEnforcer
    public let follower: AccessFeedFollower

    /// `credentials`: this service's signer for Auth's internal routes.
    public init(settings: AccessEnforcementSettings, credentials: (any OutgoingCredentialProvider)?,
                metrics: PlatformMetrics, logger: Logger) {
        self.settings = settings
        verifier = JWKSVerifier(jwksURL: settings.jwksURL, issuer: settings.issuer, audience: settings.audience,
                                cacheTTL: settings.jwksCacheTTL, logger: logger)
        let auth = ServiceHTTPClient(callee: "auth", baseURL: settings.authInternalURL, timeout: settings.authTimeout,
                                     credentials: credentials)
        enforcer = AccessEnforcer(verifier: verifier, auth: auth, metrics: metrics, logger: logger)
        follower = AccessFeedFollower(auth: auth, listeners: [enforcer.state, enforcer.adminState, verifier],
                                      settings: .init(freshness: settings.feedFreshness), metrics: metrics, logger: logger)
    }

    /// The layer's readiness: Auth's keys are held (without them no token verifies),
    /// and — reported without failing readiness — whether decisions come from memory (when the
    /// feed is not current every request asks Auth, slower but never wrong).
    /// `required`: whether the daemon serves nothing without the layer (a business backend,
    /// Admin); where only some routes need it (the canary) the keys are reported, not required.
    public func readinessChecks(required: Bool) -> [ReadinessCheck] {
        [
            ReadinessCheck(name: "jwks", critical: required, timeout: .seconds(4)) { [verifier] in
                guard await verifier.isLoaded() else { throw ReadinessFailure("Auth's JWKS is not loaded: no access token can be verified") }
            },
            ReadinessCheck(name: "access_feed", critical: false) { [state = enforcer.state] in
                guard state.isTrusted() else { throw ReadinessFailure("the access feed is not current: deciding with Auth per request") }
            },
        ]
    }
}
