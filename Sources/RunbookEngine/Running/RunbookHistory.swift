import Foundation

/// Past runs, one JSON line each, appended to a file of the operator's (mode 0600).
public struct RunbookHistory: Sendable {
    public struct Entry: Sendable, Codable, Equatable {
        public let at: Date
        public let runbook: String
        public let inputs: [String: String]
        public let succeeded: Bool
        public let failure: String?

        public init(at: Date, runbook: String, inputs: [String: String], succeeded: Bool, failure: String?) {
            self.at = at
            self.runbook = runbook
            self.inputs = inputs
            self.succeeded = succeeded
            self.failure = failure
        }
    }

    public let file: URL

    public init(file: URL) { self.file = file }

    public func append(_ entry: Entry) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(entry)
        line.append(0x0A)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        // Created with mode 0600 (inputs may name people); appended whole in one write.
        let descriptor = open(file.path, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw RunbookError.badInput("cannot open \(file.path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = line.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else { throw RunbookError.badInput("cannot append to \(file.path)") }
    }

    /// The last `limit` runs, newest last (unreadable lines skipped).
    public func recent(_ limit: Int = 50) -> [Entry] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return text.split(separator: "\n").suffix(limit).compactMap { try? decoder.decode(Entry.self, from: Data($0.utf8)) }
    }
}
