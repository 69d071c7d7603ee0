/// The spec's deliverables as readable tables (`daemons/INVENTORY.md`): the environment
/// matrix, the service inventory, the network matrix, the secrets inventory and the restore
/// priority with RPO/RTO per service.
public struct InventoryTables: Sendable {
    public let inventory: Inventory

    public init(inventory: Inventory) { self.inventory = inventory }

    public func render() -> String {
        var out = GeneratedText.markdownHeader(what: "the inventory's tables")
        out += "# Platform inventory\n\n"
        out += environments() + services() + network() + secrets() + restore() + connections()
        return out
    }

    private func table(_ header: [String], _ rows: [[String]]) -> String {
        let line = { (cells: [String]) in "| " + cells.joined(separator: " | ") + " |\n" }
        return line(header) + line(header.map { _ in "---" }) + rows.map(line).joined() + "\n"
    }

    private func environments() -> String {
        "## Environments\n\n" + table(
            ["Environment", "Zone", "Hosting", "Namespace", "Ingress address", "TLS", "Services"],
            inventory.environments.map { environment in
                [environment.name, environment.zone, environment.hosting.rawValue, environment.namespace ?? "—",
                 environment.ingressAddress, environment.tls.rawValue, "\(inventory.services(in: environment).count)"]
            })
    }

    private func services() -> String {
        let production = inventory.environments.last
        return "## Services\n\n" + table(
            ["Service", "Owner", "Exposure", "Hostname (\(production?.name ?? "—"))", "Public", "Management", "Database (pool)", "Redis", "Replicas", "Alerts"],
            inventory.services.map { service in
                let hostname = service.host.flatMap { host in production.map { "\($0.hostname(host))\(service.paths == ["/"] ? "" : service.paths.joined(separator: " "))" } }
                return [service.name, service.owner, service.exposure.rawValue, hostname ?? "never routed",
                        service.ports.public.map(String.init) ?? "—", "\(service.ports.management)",
                        service.database.map { "\($0) (\(service.dbPool))" } ?? "—", service.redis.rawValue,
                        "\(service.replicas.min)–\(service.replicas.max)", (["common"] + service.alerts).joined(separator: ", ")]
            })
    }

    private func network() -> String {
        let names = inventory.services.map(\.name)
        var out = "## Network matrix\n\nRows call columns' internal routes (service credentials, `ServiceAuth`); every management listener is also read by "
        out += inventory.managementReaders.joined(separator: " and ") + ". Public listeners are reached only through the ingress.\n\n"
        return out + table(["Caller ↓ / callee →"] + names, names.map { caller in
            [caller] + inventory.services.map { $0.callers.contains(caller) ? "✔" : "" }
        })
    }

    private func secrets() -> String {
        "## Secrets\n\nDelivered as files (`NAME_FILE`); never in the repository, images or manifests.\n\n" + table(
            ["Secret", "Services"],
            Self.secretUsers(inventory).map { [$0.secret, $0.services.joined(separator: ", ")] })
    }

    private func restore() -> String {
        "## Restore priority\n\n" + table(
            ["Priority", "Service", "Database", "RPO", "RTO", "Owner"],
            inventory.services.sorted { ($0.restore.priority, $0.name) < ($1.restore.priority, $1.name) }.map { service in
                ["\(service.restore.priority)", service.name, service.database ?? "—", service.restore.rpo, service.restore.rto, service.owner]
            })
    }

    private func connections() -> String {
        "## PostgreSQL connection budget\n\nEvery pool at the autoscalers' maximum (pool + \(ConnectionBudget.outsidePool) outside it per instance), "
            + "plus one migration per database, against `max_connections` less a reserve.\n\n" + table(
            ["Environment", "Largest use", "Available", "max_connections", "Reserved"],
            inventory.environments.map { environment in
                let budget = inventory.connectionBudget(in: environment)
                return [environment.name, "\(budget.total)", "\(budget.available)", "\(budget.maxConnections)", "\(budget.reserved)"]
            })
    }

    /// Each secret name with the services that hold one.
    static func secretUsers(_ inventory: Inventory) -> [(secret: String, services: [String])] {
        var order: [String] = [], users: [String: [String]] = [:]
        for service in inventory.services {
            for secret in service.secrets + service.optionalSecrets.map({ $0 + " (optional)" }) {
                if users[secret] == nil { order.append(secret) }
                users[secret, default: []].append(service.name)
            }
        }
        return order.map { ($0, users[$0] ?? []) }
    }
}
