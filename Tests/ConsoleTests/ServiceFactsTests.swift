@testable import ConsoleModel
import Testing

/// The service detail reads Auth's access cache by the labels Auth exports.
@Suite struct ServiceFactsTests {
    @Test func theAccessCacheHitRateUsesAuthsLabels() {
        let text = MetricsText(parsing: """
            kisum_auth_access_cache_total{outcome="hit"} 30
            kisum_auth_access_cache_total{outcome="miss"} 8
            kisum_auth_access_cache_total{outcome="error"} 2
            """)
        let lines = ServiceFacts(metrics: text, at: 0).lines
        #expect(lines.contains { $0.hasPrefix("access cache (Redis) hit rate: 75") && $0.hasSuffix("of 40") }, "\(lines)")
    }
}
