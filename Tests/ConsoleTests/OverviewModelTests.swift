@testable import ConsoleModel
import Testing

/// The model turns probes into rows: state with the failing check named, rates from deltas,
/// uptime, history; stale or out-of-order probes do not move it backwards.
@Suite struct OverviewModelTests {
    @Test func rowsShowStateRatesAndUptime() throws {
        let rows = ConsoleFixtures.model().rows
        #expect(rows.map(\.target.service) == ["auth", "core", "finance"])
        #expect(rows[0].health == .up)
        #expect(rows[1].health == .down(reason: "connection refused"))
        #expect(rows[2].health == .notReady(check: "jwks"))
        let rates = try #require(rows[0].rates)
        #expect(rates.requestsPerSecond == 200)
        #expect(rates.serverErrorRatio == 0.01)
        #expect(rows[0].uptimeSeconds == 9_002)
        #expect(rows[0].history == [200])
        #expect(rows[1].rates == nil && rows[1].uptimeSeconds == nil)
        #expect(rows[2].rates?.requestsPerSecond == 0)
    }

    @Test func anOlderProbeDoesNotReplaceANewerOne() {
        var model = ConsoleFixtures.model()
        model.record(Probe(target: ConsoleFixtures.auth, at: 5, healthFailure: "late", readiness: nil, metrics: nil))
        #expect(model.rows[0].health == .up)
    }

    @Test func aFailedScrapeKeepsTheLastRateWindow() throws {
        var model = ConsoleFixtures.model()
        // Down for a pass: no metrics; the next good scrape is compared with the last good one.
        model.record(Probe(target: ConsoleFixtures.auth, at: 10_004, healthFailure: "no answer within 1.5 seconds", readiness: nil, metrics: nil))
        #expect(model.rows[0].health == .down(reason: "no answer within 1.5 seconds"))
        #expect(model.rows[0].lastSeen == 10_002)
        model.record(Probe(target: ConsoleFixtures.auth, at: 10_006, healthFailure: nil, readiness: ConsoleFixtures.ready,
                           metrics: ConsoleFixtures.metrics(requests: 2_200, fast: 2_000)))
        #expect(try #require(model.rows[0].rates).requestsPerSecond == 200)  // 800 over 4 s
    }

    @Test func historyKeepsTheLastPasses() {
        var model = OverviewModel(targets: [ConsoleFixtures.auth])
        for pass in 0...(OverviewModel.historyLength + 5) {
            model.record(Probe(target: ConsoleFixtures.auth, at: Double(pass), healthFailure: nil, readiness: ConsoleFixtures.ready,
                               metrics: ConsoleFixtures.metrics(requests: pass * pass, fast: 0)))
        }
        let history = model.rows[0].history
        #expect(history.count == OverviewModel.historyLength)
        #expect(history.last == Double(2 * (OverviewModel.historyLength + 5) - 1))
    }

    @Test func theReportNamesProblemsForScripts() throws {
        let report = OverviewReport(environment: "local", rows: ConsoleFixtures.model().rows)
        #expect(!report.allUp)
        #expect(report.daemons.map(\.state) == ["up", "down", "not_ready"])
        #expect(report.daemons[2].failingCheck == "jwks")
        #expect(report.daemons[1].downReason == "connection refused")
        let lines = report.table.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[1].hasPrefix("auth") && lines[1].contains("UP") && lines[1].contains("200"))
        #expect(lines[2].contains("DOWN") && lines[2].contains("connection refused"))
        #expect(lines[3].contains("NOT READY") && lines[3].contains("failing check: jwks"))
        #expect(lines[4] == "local: 1 of 3 up")
    }
}

/// The console's own checks: down and not ready are critical, elevated 5xx, a lagging feed and
/// an open Redis breaker warn; each points at a runbook where one fits.
@Suite struct ConsoleAlertsTests {
    @Test func theFixturePlatformRaisesWhatIsWrongMostSevereFirst() {
        let alerts = ConsoleAlerts.evaluate(ConsoleFixtures.model())
        #expect(alerts.map(\.name) == ["DaemonDown", "DaemonNotReady"])
        #expect(alerts[1].runbook == "jwt-verification-failing" && alerts[1].detail == "failing check: jwks")
        #expect(alerts.allSatisfy { $0.severity == .critical })
    }

    @Test func errorsFeedLagAndTheBreakerWarn() {
        var model = OverviewModel(targets: [ConsoleFixtures.auth])
        func metrics(requests: Int, errors: Int) -> MetricsText {
            MetricsText(parsing: """
                kisum_http_requests_total{listener="public",route="/x",method="GET",status="200"} \(requests - errors)
                kisum_http_requests_total{listener="public",route="/x",method="GET",status="503"} \(errors)
                kisum_access_feed_last_complete_timestamp_seconds 90
                kisum_redis_breaker_open 1
                """)
        }
        model.record(Probe(target: ConsoleFixtures.auth, at: 100, healthFailure: nil, readiness: ConsoleFixtures.ready, metrics: metrics(requests: 0, errors: 0)))
        model.record(Probe(target: ConsoleFixtures.auth, at: 102, healthFailure: nil, readiness: ConsoleFixtures.ready, metrics: metrics(requests: 100, errors: 2)))
        let alerts = ConsoleAlerts.evaluate(model)
        #expect(alerts.map(\.name) == ["ElevatedServerErrors", "AccessFeedLagging", "RedisBreakerOpen"])
        #expect(alerts[0].severity == .warning && alerts[0].detail.hasPrefix("2.0% of 50"))
        #expect(alerts[2].runbook == "redis-down")
    }
}
