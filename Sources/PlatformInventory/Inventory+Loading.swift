import Foundation
import Yams

/// An inventory that cannot be used, with what is wrong in it.
public struct InventoryError: Error, Sendable, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Inventory {
    /// Reads and validates the inventory at `file`.
    public static func load(from file: URL) throws(InventoryError) -> Inventory {
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw InventoryError("cannot read \(file.path): \(error.localizedDescription)")
        }
        return try parse(text)
    }

    /// Parses and validates inventory YAML; mappings keep the order they are written in.
    public static func parse(_ yaml: String) throws(InventoryError) -> Inventory {
        do {
            guard let root = try Yams.compose(yaml: yaml)?.mapping else { throw InventoryError("the inventory is not a mapping") }
            let decoder = YAMLDecoder()
            func section(_ key: String) throws -> [(String, Node)] {
                guard let node = root[key] else { throw InventoryError("missing section \(key)") }
                guard let mapping = node.mapping else { throw InventoryError("\(key) must be a mapping of names") }
                return try mapping.map { pair in
                    guard let name = pair.key.string else { throw InventoryError("\(key): a name is not a string") }
                    return (name, pair.value)
                }
            }
            func decode<T: Decodable>(_ type: T.Type, _ node: Node, _ context: String) throws -> T {
                do { return try decoder.decode(type, from: node) } catch {
                    throw InventoryError("\(context): \(Inventory.reason(error))")
                }
            }
            let environments = try section("environments").map { name, node in
                InventoryEnvironment(name: name, spec: try decode(EnvironmentSpec.self, node, "environments.\(name)"))
            }
            let frontends = try section("frontends").map { name, node in
                let spec = try decode(FrontendSpec.self, node, "frontends.\(name)")
                return Frontend(name: name, host: spec.host, summary: spec.summary)
            }
            let services = try section("services").map { name, node in
                Service(name: name, spec: try decode(ServiceSpec.self, node, "services.\(name)"))
            }
            let readers = try root["management_readers"].map { try decode([String].self, $0, "management_readers") } ?? []
            let common = try root["common_alerts"].map { try decode([String].self, $0, "common_alerts") } ?? []
            let inventory = Inventory(environments: environments, frontends: frontends, services: services,
                                      managementReaders: readers, commonAlerts: common)
            try inventory.validate()
            return inventory
        } catch let error as InventoryError {
            throw error
        } catch {
            throw InventoryError("the inventory is not valid YAML: \(error)")
        }
    }

    /// A decoding error as one line naming the field.
    static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}

private struct EnvironmentSpec: Decodable {
    let zone: String
    let hosting: InventoryEnvironment.Hosting
    let namespace: String?
    let upstreamHost: String?
    let ingressAddress: String
    let tls: InventoryEnvironment.TLS
    let dnsTTL: Int
    let httpPort: Int?
    let httpsPort: Int?
    let postgres: InventoryEnvironment.Postgres
    let redisMaxMemory: String

    enum CodingKeys: String, CodingKey {
        case zone, hosting, namespace, tls
        case upstreamHost = "upstream_host", ingressAddress = "ingress_address", dnsTTL = "dns_ttl"
        case httpPort = "http_port", httpsPort = "https_port", postgres, redisMaxMemory = "redis_maxmemory"
    }
}

private struct FrontendSpec: Decodable {
    let host: String
    let summary: String
}

private struct ServiceSpec: Decodable {
    let summary: String
    let owner: String
    let exposure: Service.Exposure
    let host: String?
    let paths: [String]?
    let environments: [String]?
    let ports: Service.Ports
    let database: String?
    let dbPool: Int?
    let redis: Service.RedisUse
    let secrets: [String]
    let optionalSecrets: [String]?
    let publicCallers: [String]?
    let redisKeys: [String]?
    let callers: [String]
    let timeout: String?
    let bodyLimit: String?
    let signInPaths: [String]?
    let restore: Service.Restore
    let replicas: Service.Replicas
    let resources: Service.Resources
    let alerts: [String]

    enum CodingKeys: String, CodingKey {
        case summary, owner, exposure, host, paths, environments, ports, database, redis, secrets, callers, timeout
        case restore, replicas, resources, alerts
        case dbPool = "db_pool", bodyLimit = "body_limit", signInPaths = "sign_in_paths"
        case optionalSecrets = "optional_secrets", publicCallers = "public_callers", redisKeys = "redis_keys"
    }
}

extension InventoryEnvironment {
    fileprivate init(name: String, spec: EnvironmentSpec) {
        self.init(name: name, zone: spec.zone, hosting: spec.hosting, namespace: spec.namespace, upstreamHost: spec.upstreamHost,
                  ingressAddress: spec.ingressAddress, tls: spec.tls, dnsTTL: spec.dnsTTL, redisMaxMemory: spec.redisMaxMemory, postgres: spec.postgres,
                  httpPort: spec.httpPort ?? 80, httpsPort: spec.httpsPort ?? 443)
    }
}

extension Service {
    fileprivate init(name: String, spec: ServiceSpec) {
        self.init(name: name, summary: spec.summary, owner: spec.owner, exposure: spec.exposure, host: spec.host,
                  paths: spec.paths ?? [], environments: spec.environments, ports: spec.ports, database: spec.database,
                  dbPool: spec.dbPool ?? 0, redis: spec.redis, secrets: spec.secrets,
                  optionalSecrets: spec.optionalSecrets ?? [], redisKeys: spec.redisKeys ?? [], publicCallers: spec.publicCallers ?? [], callers: spec.callers, timeout: spec.timeout,
                  bodyLimit: spec.bodyLimit, signInPaths: spec.signInPaths ?? [], restore: spec.restore, replicas: spec.replicas,
                  resources: spec.resources, alerts: spec.alerts)
    }
}
