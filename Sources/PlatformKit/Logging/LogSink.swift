import Foundation
import NIOConcurrencyHelpers

/// Where finished log lines go.
public protocol LogSink: Sendable {
    func write(line: String)
}

/// Writes each line to standard output in one `write(2)` call, so lines never interleave.
public struct StandardOutputLogSink: LogSink {
    public init() {}

    public func write(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
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
