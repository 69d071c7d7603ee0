import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PlatformInventory

extension PreflightChecks {
    /// JWKS exposed: Auth's public key set answers with at least one key.
    func jwks(authURL: String?) async throws -> PreflightItem {
        let title = "JWKS exposed"
        guard let authURL else { return PreflightItem(title: title, outcome: .skipped, reason: "give --auth-url to check it live") }
        do {
            let request = HTTPClientRequest(url: authURL + "/.well-known/jwks.json")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 20)
            let keys = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])?["keys"] as? [Any] ?? []
            guard response.status == .ok, !keys.isEmpty else {
                return PreflightItem(title: title, outcome: .fail, reason: "\(authURL) answered \(response.status.code) with \(keys.count) keys")
            }
            return PreflightItem(title: title, outcome: .pass, reason: "\(keys.count) keys published")
        } catch {
            return PreflightItem(title: title, outcome: .fail, reason: "\(authURL) unreachable: \(error)")
        }
    }

    /// Backups enabled and restore tested: every database of the environment has a backup
    /// younger than 26 hours and a restore drill younger than 8 days (the alerts' thresholds).
    func backups(folder: URL?, now: Date = Date()) -> [PreflightItem] {
        guard let folder else {
            return ["backups enabled", "restore tested"].map { PreflightItem(title: $0, outcome: .skipped, reason: "give --backup-folder to check them") }
        }
        let metrics = (try? String(contentsOf: folder.appendingPathComponent("kisum_backup.prom"), encoding: .utf8)) ?? ""
        func value(_ name: String, _ database: String) -> Double? {
            let prefix = "\(name){database=\"\(database)\"} "
            return metrics.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
        }
        let databases = inventory.services(in: environment).compactMap(\.database)
        var backups: [String] = [], drills: [String] = []
        for database in databases {
            let age = value("kisum_backup_last_success_timestamp_seconds", database).map { now.timeIntervalSince1970 - $0 }
            if age.map({ $0 > 26 * 3600 }) ?? true { backups.append("\(database): \(age.map { "\(Int($0 / 3600)) h old" } ?? "none")") }
            let drilled = value("kisum_backup_restore_drill_last_success_timestamp_seconds", database).map { now.timeIntervalSince1970 - $0 }
            if drilled.map({ $0 > 8 * 86400 }) ?? true { drills.append("\(database): \(drilled.map { "\(Int($0 / 86400)) days ago" } ?? "never")") }
        }
        return [
            backups.isEmpty ? PreflightItem(title: "backups enabled", outcome: .pass, reason: "\(databases.count) databases backed up within 26 h")
                : PreflightItem(title: "backups enabled", outcome: .fail, reason: backups.joined(separator: "; ")),
            drills.isEmpty ? PreflightItem(title: "restore tested", outcome: .pass, reason: "every newest backup restored and checked within 8 days")
                : PreflightItem(title: "restore tested", outcome: .fail, reason: drills.joined(separator: "; ")),
        ]
    }

    /// Secrets not stored in the repository: no private key block and no URL carrying a
    /// password in any tracked file (test fixtures build theirs at run time).
    func noSecretsInRepository(trackedFiles: String?) throws -> PreflightItem {
        let title = "secrets not stored in the repository"
        let list: String
        if let trackedFiles {
            list = try String(contentsOfFile: trackedFiles, encoding: .utf8)
        } else {
            let git = Process()
            git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            git.arguments = ["-C", root.path, "ls-files"]
            let pipe = Pipe()
            git.standardOutput = pipe
            git.standardError = FileHandle.nullDevice
            try git.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            git.waitUntilExit()
            guard git.terminationStatus == 0 else { return PreflightItem(title: title, outcome: .skipped, reason: "not a git checkout") }
            list = String(decoding: data, as: UTF8.self)
        }
        let keyBlock = "-----BEGIN " + "(RSA |EC |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"
        let privateKey = try Regex(keyBlock)
        // scheme://user:password@ with a literal password of 12 or more characters.
        let passwordURL = try Regex(#"[a-z]+://[A-Za-z0-9_.-]+:[A-Za-z0-9_.~%+-]{12,}@"#)
        var found: [String] = []
        for path in list.split(separator: "\n") {
            let file = path.hasPrefix("/") ? URL(fileURLWithPath: String(path)) : root.appendingPathComponent(String(path))
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            if text.contains(privateKey) { found.append("\(path): a private key") }
            if text.contains(passwordURL) { found.append("\(path): a URL with a password") }
        }
        return found.isEmpty ? PreflightItem(title: title, outcome: .pass, reason: "\(list.split(separator: "\n").count) tracked files scanned")
            : PreflightItem(title: title, outcome: .fail, reason: found.prefix(5).joined(separator: "; "))
    }
}
