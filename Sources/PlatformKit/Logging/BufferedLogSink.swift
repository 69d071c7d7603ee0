import Foundation
import NIOConcurrencyHelpers
import Prometheus

/// Hands finished lines to a writer thread of its own, so a request never waits on standard
/// output (a slow terminal, a full pipe, a stalled log shipper). It holds at most `capacity`
/// lines and `capacityBytes` bytes; past that it drops lines, counts them, and says so in a
/// line of its own once the writer catches up. Errors are written before the caller goes on
/// (a crash right after loses nothing that explains it). The daemon's `main` uses it; call
/// `flush` before exiting.
public final class BufferedLogSink: LogSink, Sendable {
    private struct Queue {
        var lines: [String] = []
        var bytes = 0
        var dropped = 0
        var writing = false
        /// The writer waits for a signal: the next line must wake it (only that one does, so a
        /// busy writer costs a request no system call).
        var writerAsleep = true
    }

    private let capacity: Int
    private let capacityBytes: Int
    private let output: any LogSink
    private let queue: ConditionLock<Int>
    private let state = NIOLockedValueBox(Queue())
    private let droppedTotal = NIOLockedValueBox(0)
    private let dropCounter = NIOLockedValueBox<Counter?>(nil)

    /// `output`: where the writer thread puts lines (standard output by default).
    public init(capacity: Int = 20_000, capacityBytes: Int = 16 << 20, output: any LogSink = StandardOutputLogSink()) {
        self.capacity = capacity
        self.capacityBytes = capacityBytes
        self.output = output
        queue = ConditionLock(value: 0)
        let thread = Thread { [self] in writeForever() }
        thread.name = "log-writer"
        thread.start()
    }

    public func write(line: String) {
        let mustWake = state.withLockedValue { queue in
            guard queue.lines.count < capacity, queue.bytes + line.utf8.count <= capacityBytes else {
                queue.dropped += 1
                return false
            }
            queue.lines.append(line)
            queue.bytes += line.utf8.count
            defer { queue.writerAsleep = false }
            return queue.writerAsleep
        }
        if mustWake { wake() }
    }

    public func write(line: String, urgent: Bool) {
        write(line: line)
        if urgent { flush(within: .seconds(1)) }
    }

    /// Counts dropped lines in `counter` too (`kisum_log_lines_dropped_total`).
    public func countDrops(in counter: Counter) { dropCounter.withLockedValue { $0 = counter } }

    /// Lines dropped since start because the writer could not keep up.
    public var droppedLines: Int { droppedTotal.withLockedValue { $0 } }

    /// Waits (at most `limit`) until every line written so far is out.
    public func flush(within limit: Duration = .seconds(2)) {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if state.withLockedValue({ $0.lines.isEmpty && !$0.writing && $0.dropped == 0 }) { return }
            wake()
            usleep(1_000)
        }
    }

    private func wake() {
        queue.lock()
        queue.unlock(withValue: 1)
    }

    private func writeForever() {
        var pausedOnce = false
        while true {
            queue.lock(whenValue: 1)
            queue.unlock(withValue: 0)
            while true {
                let (lines, dropped) = state.withLockedValue { queue -> ([String], Int) in
                    defer { queue.lines = []; queue.bytes = 0; queue.dropped = 0 }
                    queue.writing = !queue.lines.isEmpty || queue.dropped > 0
                    return (queue.lines, queue.dropped)
                }
                if lines.isEmpty && dropped == 0 {
                    // Under load lines keep coming: a millisecond's pause gathers the next
                    // ones into one write, and no request pays for waking the writer.
                    if !pausedOnce {
                        pausedOnce = true
                        usleep(1_000)
                        continue
                    }
                    pausedOnce = false
                    // Asleep from here: the next write wakes the writer (the signal's value
                    // stays set, so one sent before the wait below is not lost).
                    if state.withLockedValue({ queue in
                        guard queue.lines.isEmpty && queue.dropped == 0 else { return false }
                        queue.writerAsleep = true
                        return true
                    }) { break }
                    continue
                }
                pausedOnce = false
                if !lines.isEmpty { output.write(line: lines.joined(separator: "\n")) }
                if dropped > 0 {
                    droppedTotal.withLockedValue { $0 += dropped }
                    dropCounter.withLockedValue { $0 }?.increment(by: Int64(dropped))
                    var line = "{"
                    line.appendJSONField("ts", JSONLogHandler.timestamp(), first: true)
                    line.appendJSONField("level", "warning")
                    line.appendJSONField("msg", "log lines dropped: the writer could not keep up")
                    line.appendJSONField("dropped", String(dropped))
                    line.append("}")
                    output.write(line: line)
                }
                state.withLockedValue { $0.writing = false }
            }
        }
    }
}
