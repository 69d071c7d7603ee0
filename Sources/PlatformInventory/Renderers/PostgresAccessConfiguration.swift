/// An environment's PostgreSQL access: `pg_hba.conf` (each service's runtime and migration roles
/// reach their own database only, from the application network, with scram-sha-256 — over TLS
/// outside local — and everything else is rejected) and the server settings that go with it
/// (password hashing, TLS, `max_connections` from the inventory's connection budget).
public struct PostgresAccessConfiguration: Sendable {
    public let inventory: Inventory
    public let environment: InventoryEnvironment

    public init(inventory: Inventory, environment: InventoryEnvironment) {
        self.inventory = inventory
        self.environment = environment
    }

    /// TLS is required everywhere but on a developer's own machine.
    public var requiresTLS: Bool { environment.hosting != .processes }

    public func hba() -> String {
        var out = GeneratedText.header(comment: "#", what: "pg_hba.conf for \(environment.name)")
        let type = requiresTLS ? "hostssl" : "host"
        let network = environment.postgres.clients
        out += "# TYPE   DATABASE          USER                       ADDRESS            METHOD\n"
        out += "local    all               postgres                                      peer\n"
        for service in inventory.services(in: environment) {
            guard let database = service.database else { continue }
            for role in ["\(database)_app", "\(database)_migrator"] {
                out += "\(pad(type, 8)) \(pad(database, 17)) \(pad(role, 26)) \(pad(network, 18)) scram-sha-256\n"
            }
        }
        // The superuser only from the operators' range (backups, restore drills, provisioning).
        out += "\(pad(type, 8)) \(pad("all", 17)) \(pad("postgres", 26)) \(pad(environment.postgres.operators, 18)) scram-sha-256\n"
        if requiresTLS { out += "hostnossl all              all                        all                reject\n" }
        out += "host     all               all                        all                reject\n"
        return out
    }

    public func settings() -> String {
        var out = GeneratedText.header(comment: "#", what: "PostgreSQL settings for \(environment.name) (include from postgresql.conf)")
        out += "max_connections = \(environment.postgres.maxConnections)\n"
        out += "superuser_reserved_connections = 5\n"
        out += "password_encryption = 'scram-sha-256'\n"
        if requiresTLS {
            out += "ssl = on\nssl_min_protocol_version = 'TLSv1.2'\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n"
        }
        out += "log_connections = on\nlog_disconnections = on\nshared_preload_libraries = 'pg_stat_statements'\n"
        return out
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
