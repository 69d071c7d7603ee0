import PlatformKit
import Testing

@Suite struct PrometheusSampleTests {
    @Test func parsesNamesLabelsAndValuesAndSkipsWhatItCannotRead() {
        let samples = PrometheusSample.parse("""
            # HELP x y
            plain 3
            labelled{a="1",b="with \\"quote\\" and , comma"} 2.5
            infinite{le="+Inf"} +Inf
            broken{a="1" 7
            novalue
            """)
        #expect(samples.count == 3)
        #expect(samples[0] == PrometheusSample(name: "plain", value: 3))
        #expect(samples[1].labels == ["a": "1", "b": #"with "quote" and , comma"#])
        #expect(samples[2].value == .infinity)
    }

    @Test func sumsAndQuantiles() {
        let samples = PrometheusSample.parse("""
            h_bucket{le="0.1",r="a"} 1
            h_bucket{le="0.1",r="b"} 1
            h_bucket{le="1",r="a"} 4
            h_bucket{le="1",r="b"} 4
            h_bucket{le="+Inf",r="a"} 5
            h_bucket{le="+Inf",r="b"} 5
            c{s="200"} 4
            c{s="500"} 1
            """)
        #expect(samples.sum("c") == 5)
        #expect(samples.sum("c") { $0["s"] == "500" } == 1)
        #expect(samples.quantile(0.5, ofHistogram: "h").map { abs($0 - 0.55) < 0.001 } == true)
        #expect(samples.quantile(0.99, ofHistogram: "h") == 1)  // beyond the last finite bucket: its bound
        #expect(samples.quantile(0.5, ofHistogram: "missing") == nil)
    }
}

