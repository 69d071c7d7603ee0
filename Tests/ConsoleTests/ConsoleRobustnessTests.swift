@testable import ConsoleModel
import Foundation
import Testing

/// What a target sends can never trap the console or reach the terminal as control codes, and a
/// restart is recognised by its start time.
@Suite struct ConsoleRobustnessTests {
    @Test func aNewStartTimeMeansEveryCounterRestarted() throws {
        let restarted = MetricsMathTests.after.replacingOccurrences(of: "1000.5", with: "2000")
        let rates = try #require(TrafficRates(from: MetricsText(parsing: MetricsMathTests.after), to: MetricsText(parsing: restarted), seconds: 1))
        #expect(rates.requestsPerSecond == 300)
    }

    @Test func nonFiniteValuesAreDroppedAndNeverTrapTheScreen() {
        let text = MetricsText(parsing: "a NaN\nb +Inf\nc 1e300\nkisum_http_requests_in_flight 1e300")
        #expect(text.value("a") == nil && text.value("b") == nil && text.value("c") == 1e300)
        #expect(Format.rate(1e300).hasSuffix("k") && Format.age(.infinity) == "-" && Format.percent(.nan) == "-")
        #expect(ServiceFacts(metrics: text, at: 0).lines == ["requests in flight: 1000000000000000"])
    }

    @Test func controlCharactersNeverReachTheTerminal() {
        #expect(TerminalText.printable("ok\u{1B}]0;owned\u{07}\u{9B}2J\u{7F}") == "ok ]0;owned  2J ")
        var grid = CellGrid(width: 20, height: 1)
        grid.write("a\u{1B}[31mb", x: 0, y: 0)
        #expect(grid.text == "a [31mb")
    }

    @Test func aWallClockStepBackDoesNotFreezeTheRows() {
        var model = OverviewModel(targets: [ConsoleFixtures.auth])
        model.record(Probe(target: ConsoleFixtures.auth, at: 10_000, monotonic: 5, healthFailure: nil, readiness: ConsoleFixtures.ready, metrics: nil))
        // The wall clock went back an hour; the monotonic one went on.
        model.record(Probe(target: ConsoleFixtures.auth, at: 6_400, monotonic: 7, healthFailure: "connection refused", readiness: nil, metrics: nil))
        #expect(model.rows[0].health == .down(reason: "connection refused"))
    }
}

extension ConsoleRobustnessTests {
    /// Auth's access-feed long polls are held open by design: counted as requests, but their
    /// hold time is not shown as the daemon's latency.
    @Test func longPollsCountButDoNotSetTheLatency() throws {
        func scrape(_ polls: Int, _ reads: Int) -> MetricsText {
            MetricsText(parsing: """
                kisum_http_requests_total{listener="management",route="/internal/v1/access-feed",method="GET",status="200"} \(polls)
                kisum_http_requests_total{listener="public",route="/x",method="GET",status="200"} \(reads)
                kisum_http_request_duration_seconds_bucket{listener="management",route="/internal/v1/access-feed",method="GET",le="0.005"} 0
                kisum_http_request_duration_seconds_bucket{listener="management",route="/internal/v1/access-feed",method="GET",le="0.25"} \(polls)
                kisum_http_request_duration_seconds_bucket{listener="management",route="/internal/v1/access-feed",method="GET",le="+Inf"} \(polls)
                kisum_http_request_duration_seconds_bucket{listener="public",route="/x",method="GET",le="0.005"} \(reads)
                kisum_http_request_duration_seconds_bucket{listener="public",route="/x",method="GET",le="0.25"} \(reads)
                kisum_http_request_duration_seconds_bucket{listener="public",route="/x",method="GET",le="+Inf"} \(reads)
                """)
        }
        let rates = try #require(TrafficRates(from: scrape(0, 0), to: scrape(90, 10), seconds: 1))
        #expect(rates.requestsPerSecond == 100)
        #expect(try #require(rates.p99MS) <= 5)
    }
}
