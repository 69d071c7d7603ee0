import PlatformKit
import Testing

@Suite struct RequestTraceTests {
    @Test func reusesASaneRequestID() {
        let trace = RequestTrace(requestIDHeader: "abc-123:x.y_z", traceparentHeader: nil)
        #expect(trace.requestID == "abc-123:x.y_z")
    }

    @Test(arguments: ["", "has space", "semi;colon", String(repeating: "a", count: 129), "ünïcode", "a\nb"])
    func replacesAnInsaneRequestID(header: String) {
        let trace = RequestTrace(requestIDHeader: header, traceparentHeader: nil)
        #expect(trace.requestID != header)
        #expect(trace.requestID.count == 32)
    }

    @Test func continuesAValidTraceparent() {
        let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let trace = RequestTrace(requestIDHeader: nil, traceparentHeader: header)
        #expect(trace.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.parentSpanID == "00f067aa0ba902b7")
        #expect(trace.spanID != "00f067aa0ba902b7")
        #expect(trace.sampled)
        #expect(trace.traceparent.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
        let child = trace.childTraceparent()
        #expect(child.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
        #expect(child != trace.traceparent)
    }

    @Test(arguments: [
        "garbage",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
    ])
    func startsAFreshTraceForInvalidHeaders(header: String) {
        let trace = RequestTrace(requestIDHeader: nil, traceparentHeader: header)
        #expect(trace.parentSpanID == nil)
        #expect(trace.traceID.count == 32)
        #expect(!header.contains(trace.traceID))
    }
}

/// New ids are random, well formed and distinct (drawn in one call per request).
@Suite struct RequestIDDrawTests {
    @Test func newIDsAreLowercaseHexAndDistinct() {
        let traces = (0..<200).map { _ in RequestTrace(requestIDHeader: nil, traceparentHeader: nil) }
        for trace in traces {
            #expect(trace.requestID.count == 32 && trace.traceID.count == 32 && trace.spanID.count == 16)
            #expect((trace.requestID + trace.traceID + trace.spanID).allSatisfy { "0123456789abcdef".contains($0) })
            #expect(trace.requestID != trace.traceID)
        }
        #expect(Set(traces.map(\.requestID)).count == 200)
        #expect(Set(traces.map(\.spanID)).count == 200)
    }
}
