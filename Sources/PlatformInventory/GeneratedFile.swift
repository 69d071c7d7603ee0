import Foundation

/// A file generated from the inventory: its path in the repository and its contents.
public struct GeneratedFile: Sendable, Equatable {
    public let path: String
    public let contents: String

    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}

/// How a generated file differs from the repository.
public struct StaleFile: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable { case missing, differs, orphaned }
    public let path: String
    public let reason: Reason

    public var description: String {
        switch reason {
        case .missing: "\(path): missing"
        case .differs: "\(path): differs from the inventory"
        case .orphaned: "\(path): no longer generated (delete it)"
        }
    }
}

extension Inventory {
    /// Folders that hold only generated files (anything else in them is orphaned).
    public static let generatedFolders = ["daemons/ingress", "daemons/dns", "daemons/prometheus", "daemons/console", "daemons/kubernetes", "daemons/postgres", "daemons/redis"]

    /// Every file generated from this inventory.
    public func outputs() throws -> [GeneratedFile] {
        var files = [
            GeneratedFile(path: "daemons/INVENTORY.md", contents: InventoryTables(inventory: self).render()),
            GeneratedFile(path: NetworkPolicySource.path, contents: NetworkPolicySource(inventory: self).render()),
        ]
        for service in services where !service.secrets.isEmpty {
            let unit = SystemdCredentials(service: service)
            files.append(GeneratedFile(path: unit.path, contents: unit.render()))
        }
        for environment in environments {
            if environment.hosting == .processes {
                files.append(GeneratedFile(path: "daemons/ingress/\(environment.name).conf",
                                           contents: NginxConfiguration(inventory: self, environment: environment).render()))
                files.append(GeneratedFile(path: "daemons/ingress/\(environment.name).nginx.conf",
                                           contents: NginxConfiguration.main(include: "\(environment.name).conf", foreground: false)))
            }
            let postgres = PostgresAccessConfiguration(inventory: self, environment: environment)
            files.append(GeneratedFile(path: "daemons/postgres/\(environment.name).pg_hba.conf", contents: postgres.hba()))
            files.append(GeneratedFile(path: "daemons/postgres/\(environment.name).conf", contents: postgres.settings()))
            let redis = RedisConfiguration(inventory: self, environment: environment)
            files.append(GeneratedFile(path: "daemons/redis/\(environment.name).conf", contents: redis.settings(aclFile: "/etc/redis/kisum-users.acl")))
            files.append(GeneratedFile(path: "daemons/redis/\(environment.name).acl", contents: redis.acl()))
            let zone = DNSZone(inventory: self, environment: environment)
            if zone.isNeeded { files.append(GeneratedFile(path: "daemons/dns/\(environment.name).zone", contents: zone.render())) }
            files.append(GeneratedFile(path: "daemons/prometheus/\(environment.name).yml",
                                       contents: PrometheusScrapeConfiguration(inventory: self, environment: environment).render()))
            if environment.hosting == .kubernetes {
                for file in KubernetesManifests(inventory: self, environment: environment).files() {
                    files.append(GeneratedFile(path: "daemons/kubernetes/\(environment.name)/\(file.name)", contents: file.contents))
                }
            }
            files.append(GeneratedFile(path: "daemons/console/\(environment.name).json",
                                       contents: try ConsoleTargetsFile(inventory: self, environment: environment).render()))
        }
        return files
    }

    /// The generated files that are missing, differ or are left over under `root`.
    public func staleFiles(root: URL) throws -> [StaleFile] {
        let files = try outputs()
        var stale: [StaleFile] = []
        for file in files {
            let url = root.appendingPathComponent(file.path)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                stale.append(StaleFile(path: file.path, reason: .missing)); continue
            }
            if data != Data(file.contents.utf8) { stale.append(StaleFile(path: file.path, reason: .differs)) }
        }
        let expected = Set(files.map(\.path))
        for folder in Self.generatedFolders {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                let relative = folder + url.path.dropFirst(base.path.count)
                if !expected.contains(relative) { stale.append(StaleFile(path: relative, reason: .orphaned)) }
            }
        }
        return stale
    }

    /// Writes every generated file under `root`, removes orphaned ones; returns the paths changed.
    @discardableResult
    public func write(root: URL) throws -> [String] {
        var changed: [String] = []
        for item in try staleFiles(root: root) {
            let url = root.appendingPathComponent(item.path)
            if item.reason == .orphaned { try FileManager.default.removeItem(at: url) }
            changed.append(item.path)
        }
        for file in try outputs() where changed.contains(file.path) {
            let url = root.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.contents.utf8).write(to: url, options: .atomic)
        }
        return changed
    }
}
