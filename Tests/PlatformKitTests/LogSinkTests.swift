import Foundation
@testable import PlatformKit
import Testing

/// The daemon's log sink never makes a caller wait on its output, keeps what it can, and
/// says how much it dropped.
@Suite struct LogSinkTests {
    /// An output that blocks until released, as a stalled pipe does.
    final class StalledOutput: LogSink {
        let memory = MemoryLogSink()
        let released = NSCondition()
        nonisolated(unsafe) var open = false

        func write(line: String) {
            released.lock()
            while !open { released.wait() }
            released.unlock()
            memory.write(line: line)
        }

        func release() {
            released.lock()
            open = true
            released.broadcast()
            released.unlock()
        }
    }

    @Test func aStalledOutputNeverBlocksAWriterAndDropsAreCounted() throws {
        let output = StalledOutput()
        let sink = BufferedLogSink(capacity: 10, output: output)
        let started = ContinuousClock.now
        for index in 0..<100 { sink.write(line: "line \(index)") }
        // 100 writes against an output that accepts nothing: none waited on it.
        #expect(ContinuousClock.now - started < .seconds(1))
        output.release()
        sink.flush(within: .seconds(10))
        let written = output.memory.lines.joined(separator: "\n").split(separator: "\n").map(String.init)
        // What the (stalled) writer took before stalling and ten queued lines were kept, in
        // order; the rest were dropped and said so.
        let kept = written.filter { $0.hasPrefix("line ") }
        #expect(kept.count >= 10 && kept.count < 100)
        #expect(kept == (0..<kept.count).map { "line \($0)" })
        let report = try #require(written.first { $0.contains("log lines dropped") })
        let fields = try #require(JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: String])
        #expect(Int(fields["dropped"] ?? "") == 100 - kept.count)
        #expect(sink.droppedLines == 100 - kept.count)
    }

    @Test func linesArriveInOrderAndFlushWaitsForThem() {
        let output = MemoryLogSink()
        let sink = BufferedLogSink(output: output)
        for index in 0..<1_000 { sink.write(line: "\(index)") }
        sink.flush(within: .seconds(10))
        let written = output.lines.joined(separator: "\n").split(separator: "\n").map(String.init)
        #expect(written == (0..<1_000).map(String.init))
        #expect(sink.droppedLines == 0)
    }

    /// The writer is woken only when it sleeps: a line written to an idle sink must still
    /// arrive without a flush, the first one and one written after the writer fell asleep again.
    @Test func linesArriveWithoutAFlushWhenTheWriterSleeps() throws {
        let output = MemoryLogSink()
        let sink = BufferedLogSink(output: output)
        func arrives(_ line: String) -> Bool {
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline {
                if output.lines.contains(where: { $0.split(separator: "\n").contains(Substring(line)) }) { return true }
                usleep(1_000)
            }
            return false
        }
        sink.write(line: "first")
        #expect(arrives("first"), "the first line of an idle sink was not written within 5 s")
        usleep(50_000)  // the writer is asleep again
        sink.write(line: "second")
        #expect(arrives("second"), "a line written to a sleeping writer was not written within 5 s")
        for index in 0..<100 { sink.write(line: "burst \(index)") }
        #expect(arrives("burst 99"), "the end of a burst was not written within 5 s")
    }

    @Test func timestampsAreRFC3339UTCWithMilliseconds() throws {
        let text = JSONLogHandler.timestamp()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = try #require(formatter.date(from: text), "\(text)")
        #expect(abs(parsed.timeIntervalSinceNow) < 5)
        #expect(text.count == 24 && text.hasSuffix("Z"))
    }
}

/// Access-log durations and JSON strings are formatted without Foundation's formatter.
@Suite struct LogFormattingTests {
    @Test func durationsHaveTwoDecimals() {
        #expect(Duration.zero.millisecondsText == "0.00")
        #expect(Duration.microseconds(50).millisecondsText == "0.05")
        #expect((Duration.milliseconds(12) + .microseconds(345)).millisecondsText == "12.35")
        #expect(Duration.seconds(2).millisecondsText == "2000.00")
        #expect(Duration.microseconds(1_005).millisecondsText == "1.01" || Duration.microseconds(1_005).millisecondsText == "1.00")
    }

    @Test func jsonStringsAreEscapedOnlyWhenNeeded() {
        var plain = ""
        plain.appendJSONString("GET /v1/notes/{id} ünï")
        #expect(plain == "\"GET /v1/notes/{id} ünï\"")
        var escaped = ""
        escaped.appendJSONString("a\"b\\c\nd\u{01}")
        #expect(escaped == #""a\"b\\c\nd\u0001""#)
    }
}
