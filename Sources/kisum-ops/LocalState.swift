import Crypto
import Foundation
import PlatformKit
import PlatformDaemon
import ServiceAuth

/// The git-ignored folder `./kisum up` keeps its state in: secrets (generated here, mode
/// 0600, never committed), environment files, pids and logs.
struct LocalState {
    let root: URL

    init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true)
    }

    var secrets: URL { root.appendingPathComponent("secrets") }
    var environmentFiles: URL { root.appendingPathComponent("env") }
    var run: URL { root.appendingPathComponent("run") }

    /// The secret `name`, created with `make` the first time.
    func secret(_ name: String, make: () -> String = { LocalState.randomToken() }) throws -> String {
        let file = secrets.appendingPathComponent(name)
        if let existing = try? String(contentsOf: file, encoding: .utf8), !existing.isEmpty {
            return existing.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try write(make(), to: file)
        return try String(contentsOf: file, encoding: .utf8)
    }

    /// Writes a secret file readable by its owner only; returns its path.
    @discardableResult
    func writeSecret(_ name: String, _ value: String) throws -> String {
        let file = secrets.appendingPathComponent(name)
        try write(value, to: file)
        return file.path
    }

    private func write(_ value: String, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(value.utf8), attributes: [.posixPermissions: 0o600])
    }

    /// This service's Ed25519 service-credential key, created once.
    func serviceKey(for service: String) throws -> ServiceKey {
        let text = try secret("\(service).service-key") { ServiceKey().privateBase64 }
        guard let key = ServiceKey(base64: text) else {
            throw LocalError("\(secrets.path)/\(service).service-key is not a valid key; delete it to regenerate")
        }
        return key
    }

    /// 32 random bytes, hex.
    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.hexEncoded
    }

    /// Local listener addresses from each daemon's default ports.
    static func topology() -> LocalTopology {
        var management: [String: String] = [:], publicURLs: [String: String] = [:]
        for app in DaemonCatalog.all {
            let descriptor = app.descriptor
            management[descriptor.name] = "http://127.0.0.1:\(descriptor.managementPort)"
            if let port = descriptor.publicPort { publicURLs[descriptor.name] = "http://127.0.0.1:\(port)" }
        }
        return LocalTopology(managementURLs: management, publicURLs: publicURLs)
    }
}

struct LocalError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
