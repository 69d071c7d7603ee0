import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the operator's own access token is kept (`kisum-ops signin` writes it; runbooks run
/// from `kisum-ops` and the console read it): a file only its owner can read.
public enum OperatorToken {
    /// `$XDG_CONFIG_HOME/kisum` or `~/.config/kisum`.
    public static var directory: String {
        (ProcessInfo.processInfo.environment["XDG_CONFIG_HOME"] ?? (NSHomeDirectory() + "/.config")) + "/kisum"
    }

    public static var defaultFile: String { directory + "/operator-token" }

    /// The token in `file`; a clear error when there is none.
    public static func read(from file: String) throws -> String {
        if let mode = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw RunbookError.badInput("\(file) can be read by others (mode \(String(mode, radix: 8))): delete it and sign in again")
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
              let token = text.split(separator: "\n").first.map(String.init), !token.isEmpty else {
            throw RunbookError.badInput("no operator token in \(file): sign in first (kisum-ops signin --email YOU)")
        }
        return token
    }

    /// Replaces `file` with `token`: written to a new file created with mode 0600 (never
    /// readable by others, not even for a moment), then renamed over the old one.
    public static func write(_ token: String, to file: String) throws {
        let url = URL(fileURLWithPath: file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let temporary = file + ".\(getpid()).tmp"
        try writeNew(temporary, Data((token + "\n").utf8))
        guard rename(temporary, file) == 0 else {
            unlink(temporary)
            throw RunbookError.badInput("cannot write \(file): \(String(cString: strerror(errno)))")
        }
    }

    /// Creates `path` (it must not exist) with mode 0600 and writes `data`.
    static func writeNew(_ path: String, _ data: Data) throws {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw RunbookError.badInput("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else {
            unlink(path)
            throw RunbookError.badInput("cannot write \(path)")
        }
    }
}
