import Foundation
import NIOConcurrencyHelpers
import PlatformDaemon
import PlatformKit
import PlatformTesting
import Testing

/// Invalidation signals reach Auth; they wait while Auth is down and survive a Core restart.
@Suite struct OutboxTests {
    @Test func signalsAreDeliveredWaitForAuthAndSurviveARestart() async throws {
        let keys = TestKeys()
        let authPort = TestEnvironment.freePort()
        let instance = UUID().uuidString
        // Auth is down at first.
        let first = try await CoreHarness.start(keys: keys, authURL: "http://127.0.0.1:\(authPort)")
        _ = try await first.call("POST", "/internal/v1/catalog/modules", body: #"{"key":"finance","name":"F"}"#)
        _ = try await first.call("POST", "/internal/v1/catalog/addons", body: #"{"key":"finance_addon","name":"F","module":"finance"}"#)
        let company = UUID()
        for status in ["active", "canceled", "active"] {
            let write = try await first.call("PUT", "/internal/v1/companies/\(company)/addons/finance_addon",
                                            body: #"{"status":"\#(status)","period_start":"2026-01-01T00:00:00Z"}"#)
            #expect(write.status == 200)
        }
        // Delivery fails (an unreachable Auth costs the 2 s call timeout); the signals stay pending.
        #expect(try await eventually(within: .seconds(10)) {
            (metricValue(try await TestHTTP.get(first.url + "/metrics").body, "kisum_core_outbox_failed_total") ?? 0) >= 1
        })
        // The depth gauges are published at the end of each pass.
        #expect(try await eventually(within: .seconds(10)) {
            let metrics = try await TestHTTP.get(first.url + "/metrics").body
            return metricValue(metrics, "kisum_core_outbox_pending") == 3
                && (metricValue(metrics, "kisum_core_outbox_oldest_age_seconds") ?? 0) > 0
        })

        // Core restarts while Auth is still down: the signals are in its database, not its memory.
        try await first.stop()
        try await CoreHarness.with(keys: keys, database: first.database, authURL: "http://127.0.0.1:\(authPort)") { core in
            // Auth comes back: the company's newest version arrives (it supersedes the older ones).
            try await AuthStandIn.with(trusting: keys.core, instance: instance, port: authPort) { auth in
                #expect(try await eventually(within: .seconds(10)) { AuthStandIn.signals(instance).contains { $0 == (company, 3) } })
                #expect(try await eventually { metricValue(try await TestHTTP.get(core.url + "/metrics").body, "kisum_core_outbox_pending") == 0 })

                // A later change is delivered promptly, in order after the earlier ones.
                _ = try await core.call("POST", "/internal/v1/companies/\(company)/subscription/cancel", body: "{}")
                _ = try await core.call("DELETE", "/internal/v1/companies/\(company)/addons/finance_addon", body: "{}")
                #expect(try await eventually { AuthStandIn.signals(instance).contains { $0 == (company, 4) } })
                let versions = AuthStandIn.signals(instance).filter { $0.0 == company }.map(\.1)
                #expect(versions == versions.sorted())
            }
        }
    }

    @Test func refusedDeliveriesAreRetried() async throws {
        let keys = TestKeys()
        let instance = UUID().uuidString
        AuthStandIn.failing.withLockedValue { _ = $0.insert(instance) }
        try await AuthStandIn.with(trusting: keys.core, instance: instance) { auth in
            try await CoreHarness.with(keys: keys, authURL: auth.managementURL) { core in
                _ = try await core.call("POST", "/internal/v1/catalog/modules", body: #"{"key":"ai","name":"AI"}"#)
                _ = try await core.call("POST", "/internal/v1/catalog/addons", body: #"{"key":"ai_addon","name":"AI","module":"ai"}"#)
                let company = UUID()
                _ = try await core.call("PUT", "/internal/v1/companies/\(company)/addons/ai_addon", body: #"{"status":"active","period_start":"2026-01-01T00:00:00Z"}"#)
                try await Task.sleep(for: .milliseconds(500))
                #expect(AuthStandIn.signals(instance).isEmpty)
                AuthStandIn.failing.withLockedValue { _ = $0.remove(instance) }
                #expect(try await eventually(within: .seconds(10)) { AuthStandIn.signals(instance).contains { $0 == (company, 1) } })
            }
        }
    }
}
