@testable import ConsoleModel
import Testing

/// Scrapes are parsed as Prometheus writes them; rates and percentiles come from deltas.
@Suite struct MetricsMathTests {
    static let before = """
        # HELP kisum_http_requests_total HTTP requests handled.
        # TYPE kisum_http_requests_total counter
        kisum_http_requests_total{listener="public",route="/v1/notes",method="GET",status="200"} 100
        kisum_http_requests_total{listener="public",route="/v1/notes",method="GET",status="503"} 0
        kisum_http_requests_total{listener="management",route="/metrics",method="GET",status="200"} 7
        kisum_http_request_duration_seconds_bucket{listener="public",route="/v1/notes",method="GET",le="0.01"} 50
        kisum_http_request_duration_seconds_bucket{listener="public",route="/v1/notes",method="GET",le="0.1"} 100
        kisum_http_request_duration_seconds_bucket{listener="public",route="/v1/notes",method="GET",le="+Inf"} 100
        kisum_process_start_time_seconds 1000.5
        """
    static let after = """
        kisum_http_requests_total{listener="public",route="/v1/notes",method="GET",status="200"} 280
        kisum_http_requests_total{listener="public",route="/v1/notes",method="GET",status="503"} 20
        kisum_http_requests_total{listener="management",route="/metrics",method="GET",status="200"} 9000
        kisum_http_request_duration_seconds_bucket{listener="public",route="/v1/notes",method="GET",le="0.01"} 150
        kisum_http_request_duration_seconds_bucket{listener="public",route="/v1/notes",method="GET",le="0.1"} 298
        kisum_http_request_duration_seconds_bucket{listener="public",route="/v1/notes",method="GET",le="+Inf"} 300
        kisum_process_start_time_seconds 1000.5
        """

    @Test func samplesWithLabelsEscapesAndSpecialValues() throws {
        let text = MetricsText(parsing: #"""
            # a comment
            plain 3
            labelled{a="x",b="with \"quote\" and \\ back"} 2.5e3
            infinite{le="+Inf"} +Inf
            broken{a="unterminated 1
            timestamped 4 1700000000000
            """#)
        #expect(text.value("plain") == 3)
        let labelled = try #require(text.all("labelled").first)
        #expect(labelled.value == 2500)
        #expect(labelled.labels == ["a": "x", "b": #"with "quote" and \ back"#])
        #expect(text.value("infinite") == nil)  // non-finite: dropped
        #expect(text.value("timestamped") == 4)
        #expect(text.all("broken").isEmpty)
    }

    @Test func quantilesInterpolateWithinTheirBucket() throws {
        let buckets: [Double: Double] = [0.01: 50, 0.1: 100, .infinity: 100]
        #expect(HistogramQuantile.quantile(0.5, buckets: buckets) == 0.01)
        let p75 = try #require(HistogramQuantile.quantile(0.75, buckets: buckets))
        #expect(abs(p75 - 0.055) < 1e-9)
        // A rank in the +Inf bucket: the largest finite bound.
        #expect(HistogramQuantile.quantile(0.99, buckets: [0.01: 50, .infinity: 100]) == 0.01)
        #expect(HistogramQuantile.quantile(0.5, buckets: [0.01: 0, .infinity: 0]) == nil)
    }

    @Test func ratesLeaveTheProbesOwnTrafficOut() throws {
        let rates = try #require(TrafficRates(from: MetricsText(parsing: Self.before), to: MetricsText(parsing: Self.after), seconds: 2))
        // 200 served requests in 2 s; the 8,993 scrapes of /metrics are not the service's.
        #expect(rates.requestsPerSecond == 100)
        #expect(rates.serverErrorRatio == 0.1)
        let p50 = try #require(rates.p50MS), p99 = try #require(rates.p99MS)
        #expect(p50 > 5 && p50 <= 10)  // 100 of 200 new observations ≤ 10 ms
        #expect(p99 > 10 && p99 <= 100)
    }

    @Test func aRestartedDaemonsCountersCountFromZero() throws {
        let restarted = "kisum_http_requests_total{listener=\"public\",route=\"/v1/notes\",method=\"GET\",status=\"200\"} 30"
        let rates = try #require(TrafficRates(from: MetricsText(parsing: Self.after), to: MetricsText(parsing: restarted), seconds: 1))
        #expect(rates.requestsPerSecond == 30)
        #expect(TrafficRates(from: nil, to: MetricsText(parsing: restarted), seconds: 1) == nil)
        #expect(TrafficRates(from: MetricsText(parsing: restarted), to: MetricsText(parsing: restarted), seconds: 0) == nil)
    }
}
