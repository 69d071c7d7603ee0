import Foundation
import NIOConcurrencyHelpers

/// Where finished log lines go.
public protocol LogSink: Sendable {
    func write(line: String)
    /// A line that must be out before the caller goes on (critical: the process may be about
    /// to die). By default the same as `write(line:)`.
    func write(line: String, urgent: Bool)
}

extension LogSink {
    public func write(line: String, urgent: Bool) { write(line: line) }
}

/// Writes each line to standard output in one `write(2)` call, so lines never interleave;
/// retries an interrupted write and waits (up to a second) on a full non-blocking pipe.
public struct StandardOutputLogSink: LogSink {
    public init() {}

    public func write(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0, waits = 0
            while offset < buffer.count {
                let written = Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK, waits < 1_000 {
                    waits += 1
                    usleep(1_000)
                } else {
                    return
                }
            }
        }
    }
}

/// Keeps lines in memory; for tests that read what was logged.
public final class MemoryLogSink: LogSink {
    private let storage = NIOLockedValueBox<[String]>([])

    public init() {}

    public func write(line: String) { storage.withLockedValue { $0.append(line) } }

    /// Every line written so far.
    public var lines: [String] { storage.withLockedValue { $0 } }
}
