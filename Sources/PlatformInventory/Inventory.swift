import Foundation
import Yams

/// The platform's service inventory (`daemons/inventory.yml`): environments, frontends and
/// services with their listeners, data, secrets, allowed callers, owners and alerts. Every
/// deployment asset is generated from it (`Inventory.outputs`).
public struct Inventory: Sendable, Equatable {
    /// Environments in their promotion order: local, dev, staging, production.
    public let environments: [InventoryEnvironment]
    public let frontends: [Frontend]
    /// Services in the inventory's order (also the rollout order within a group).
    public let services: [Service]
    /// Who reads every management listener besides the callers of its internal routes.
    public let managementReaders: [String]
    /// Alerts that concern every daemon.
    public let commonAlerts: [String]

    /// The service called `name`.
    public func service(_ name: String) -> Service? { services.first { $0.name == name } }

    /// The environment called `name`.
    public func environment(_ name: String) -> InventoryEnvironment? { environments.first { $0.name == name } }

    /// The services deployed in `environment`.
    public func services(in environment: InventoryEnvironment) -> [Service] {
        services.filter { $0.environments?.contains(environment.name) ?? true }
    }

    /// The network matrix: for each service, the services allowed to call its internal routes.
    public var allowedCallers: [String: [String]] {
        Dictionary(uniqueKeysWithValues: services.map { ($0.name, $0.callers) })
    }
}

/// One environment the platform runs in.
public struct InventoryEnvironment: Sendable, Equatable {
    public enum Hosting: String, Sendable, Decodable { case processes, kubernetes }
    public enum TLS: String, Sendable, Decodable {
        /// Certificates from a CA generated at setup (local and dev).
        case localCA = "local-ca"
        /// ACME (Let's Encrypt through cert-manager).
        case acme
    }

    public let name: String
    /// The DNS zone every public hostname of this environment lives in.
    public let zone: String
    public let hosting: Hosting
    /// The Kubernetes namespace (Kubernetes hosting only).
    public let namespace: String?
    /// Where the daemons listen, seen from the ingress (processes hosting only).
    public let upstreamHost: String?
    /// The ingress's public address (the DNS records' target).
    public let ingressAddress: String
    public let tls: TLS
    public let dnsTTL: Int
    /// The cache's memory limit (Redis syntax, e.g. `256mb`).
    public let redisMaxMemory: String
    /// The environment's PostgreSQL cluster (one per environment, every service's database on it).
    public let postgres: Postgres
    /// The ingress's ports (80 and 443 unless the inventory says otherwise, as local does).
    public let httpPort: Int
    public let httpsPort: Int

    /// `label.zone`.
    public func hostname(_ label: String) -> String { "\(label).\(zone)" }

    public struct Postgres: Sendable, Equatable, Decodable {
        /// The server's `max_connections`.
        public let maxConnections: Int
        /// Kept free of every pool: superusers, backups, the console, a migration by hand.
        public let reserved: Int
        /// The address range the daemons connect from (`pg_hba.conf`).
        public let clients: String
        /// Where operators connect from as the superuser (backups, drills, provisioning).
        public let operators: String

        enum CodingKeys: String, CodingKey {
            case maxConnections = "max_connections", reserved, clients, operators
        }
    }
}

/// A frontend the ingress serves (its files are built elsewhere).
public struct Frontend: Sendable, Equatable {
    public let name: String
    public let host: String
    public let summary: String
}

/// One daemon of the platform.
public struct Service: Sendable, Equatable {
    public enum Exposure: String, Sendable, Decodable { case `public`, `internal` }
    public enum RedisUse: String, Sendable, Decodable { case none, optional, required }

    public struct Ports: Sendable, Equatable, Decodable {
        public let `public`: Int?
        public let management: Int
    }

    public struct Restore: Sendable, Equatable, Decodable {
        /// 1 restores first.
        public let priority: Int
        public let rpo: String
        public let rto: String
    }

    public struct Replicas: Sendable, Equatable, Decodable {
        public let min: Int
        public let max: Int
    }

    public struct Resources: Sendable, Equatable, Decodable {
        public let cpu: String
        public let memory: String
    }

    public let name: String
    public let summary: String
    public let owner: String
    public let exposure: Exposure
    /// The hostname label (`auth` → `auth.<zone>`); public services only.
    public let host: String?
    /// Path prefixes routed to it on its host (`/` for all).
    public let paths: [String]
    /// Environments it is deployed in; nil for all.
    public let environments: [String]?
    public let ports: Ports
    public let database: String?
    public let dbPool: Int
    public let redis: RedisUse
    /// Variable names of its secrets (delivered as `NAME_FILE`).
    public let secrets: [String]
    /// Secrets it runs without (delivered only where the environment sets them).
    public let optionalSecrets: [String]
    /// Redis key patterns it reads and writes (its ACL user may touch nothing else).
    public let redisKeys: [String]
    /// Services inside the platform's network that call its public listener (Auth's JWKS).
    public let publicCallers: [String]
    /// Services allowed to call its internal routes.
    public let callers: [String]
    /// The ingress's upstream timeout.
    public let timeout: String?
    /// The ingress's request-body limit (nginx size syntax).
    public let bodyLimit: String?
    /// Paths rate-limited at the edge as sign-in attempts.
    public let signInPaths: [String]
    public let restore: Restore
    public let replicas: Replicas
    public let resources: Resources
    public let alerts: [String]

    /// `kisum-<name>`: the unit, the Prometheus job and the Kubernetes object name.
    public var unitName: String { "kisum-\(name)" }
}
