extension Inventory {
    /// Readers of management listeners that are not services of the inventory.
    public static let externalReaders: Set<String> = ["monitoring"]

    /// Checks what the YAML's shape cannot: names, references, unique hosts and ports, and
    /// values the generated files would carry verbatim. The first problem found is thrown.
    func validate() throws(InventoryError) {
        guard !environments.isEmpty else { throw InventoryError("environments: at least one is needed") }
        let serviceNames = Set(services.map(\.name))
        let environmentNames = Set(environments.map(\.name))
        for environment in environments { try environment.validate(among: environments) }

        var hosts: [String: String] = [:]
        for frontend in frontends {
            guard Self.isLabel(frontend.name), Self.isLabel(frontend.host) else { throw InventoryError("frontends.\(frontend.name): host \(frontend.host) is not a DNS label") }
            if let other = hosts[frontend.host] { throw InventoryError("frontends.\(frontend.name): host \(frontend.host) is also \(other)'s") }
            hosts[frontend.host] = frontend.name
        }
        var ports: [Int: String] = [:]
        for service in services {
            let context = "services.\(service.name)"
            guard Self.isLabel(service.name) else { throw InventoryError("\(context): the name must be a lowercase DNS label") }
            for port in [service.ports.public, service.ports.management].compactMap({ $0 }) {
                guard (1024...65535).contains(port) else { throw InventoryError("\(context): port \(port) is outside 1024–65535") }
                if let other = ports[port] { throw InventoryError("\(context): port \(port) is also \(other)'s") }
                ports[port] = service.name
            }
            try service.validateExposure(context: context, hosts: &hosts, frontends: frontends)
            for caller in service.callers + service.publicCallers where !serviceNames.contains(caller) {
                throw InventoryError("\(context): caller \(caller) is not a service of the inventory")
            }
            try service.validateText(context: context)
            for name in service.environments ?? [] where !environmentNames.contains(name) {
                throw InventoryError("\(context): environment \(name) is not defined")
            }
            for secret in service.secrets + service.optionalSecrets where !Self.isVariableName(secret) {
                throw InventoryError("\(context): secret \(secret) is not a variable name (UPPER_SNAKE)")
            }
            if service.database != nil, service.dbPool < 1 { throw InventoryError("\(context): db_pool must be at least 1") }
            guard service.restore.priority >= 1 else { throw InventoryError("\(context): restore priority starts at 1") }
            for value in [service.restore.rpo, service.restore.rto] + (service.timeout.map { [$0] } ?? []) where !Self.isDuration(value) {
                throw InventoryError("\(context): \(value) is not a duration (e.g. 30s, 5m, 4h)")
            }
            if let limit = service.bodyLimit, !Self.isSize(limit) { throw InventoryError("\(context): body_limit \(limit) is not a size (e.g. 64k, 1m)") }
            guard service.replicas.min >= 1, service.replicas.max >= service.replicas.min else {
                throw InventoryError("\(context): replicas need 1 ≤ min ≤ max")
            }
        }
        for environment in environments {
            let budget = connectionBudget(in: environment)
            guard budget.fits else {
                throw InventoryError("environments.\(environment.name): the pools need \(budget.total) PostgreSQL connections at most replicas, "
                                     + "above max_connections \(budget.maxConnections) less \(budget.reserved) reserved")
            }
        }
        for reader in managementReaders where !serviceNames.contains(reader) && !Self.externalReaders.contains(reader) {
            throw InventoryError("management_readers: \(reader) is neither a service nor one of \(Self.externalReaders.sorted())")
        }
    }

    /// Every value the generators write verbatim into nginx, YAML, pg_hba or file paths matches
    /// a strict pattern, so no inventory value can add a directive, a key or a rule.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        (try? Regex("^(?:" + pattern + ")$").wholeMatch(in: text)) != nil
    }

    static let pathPattern = #"/[A-Za-z0-9._~/-]*"#
    static let cidrPattern = #"[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}|[0-9a-fA-F:]+/[0-9]{1,3}"#
    static let addressPattern = #"[0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9a-fA-F:]+"#

    static func isLabel(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 63 && text.first != "-" && text.last != "-"
            && text.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func isVariableName(_ text: String) -> Bool {
        !text.isEmpty && text.first?.isLetter == true && text.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func isDuration(_ text: String) -> Bool { hasNumber(text, units: "smh") }
    static func isSize(_ text: String) -> Bool { hasNumber(text, units: "km") }

    private static func hasNumber(_ text: String, units: String) -> Bool {
        guard let last = text.last, units.contains(last) else { return false }
        let digits = text.dropLast()
        return !digits.isEmpty && digits.count <= 6 && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }
}

extension InventoryEnvironment {
    func validate(among all: [InventoryEnvironment]) throws(InventoryError) {
        let context = "environments.\(name)"
        let labels = zone.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 2, labels.allSatisfy(Inventory.isLabel) else { throw InventoryError("\(context): zone \(zone) is not a domain") }
        guard (1...65535).contains(httpPort), (1...65535).contains(httpsPort), httpPort != httpsPort else {
            throw InventoryError("\(context): http_port and https_port must be two different ports")
        }
        guard Inventory.isLabel(name) else { throw InventoryError("\(context): the name must be a lowercase DNS label") }
        guard Inventory.matches(redisMaxMemory, "[0-9]{1,6}(mb|gb)") else { throw InventoryError("\(context): redis_maxmemory must be like 256mb") }
        guard Inventory.matches(ingressAddress, Inventory.addressPattern), upstreamHost.map({ Inventory.matches($0, Inventory.addressPattern) }) ?? true else {
            throw InventoryError("\(context): ingress_address and upstream_host must be IP addresses")
        }
        guard Inventory.matches(postgres.clients, Inventory.cidrPattern), Inventory.matches(postgres.operators, Inventory.cidrPattern),
              !["0.0.0.0/0", "::/0"].contains(postgres.clients), !["0.0.0.0/0", "::/0"].contains(postgres.operators) else {
            throw InventoryError("\(context): postgres clients and operators must be private address ranges (CIDR), never everyone")
        }
        guard postgres.reserved >= 5, postgres.maxConnections > postgres.reserved else {
            throw InventoryError("\(context): postgres needs max_connections above a reserve of at least 5")
        }
        guard dnsTTL >= 30, dnsTTL <= 86_400 else { throw InventoryError("\(context): dns_ttl must be 30–86400 seconds") }
        switch hosting {
        case .processes:
            guard upstreamHost != nil else { throw InventoryError("\(context): processes hosting needs upstream_host") }
        case .kubernetes:
            guard let namespace, Inventory.isLabel(namespace) else { throw InventoryError("\(context): kubernetes hosting needs a namespace (a DNS label)") }
        }
        for other in all where other.name != name {
            // No record shared between environments: no zone may be another's or inside it.
            if zone == other.zone || zone.hasSuffix("." + other.zone) {
                throw InventoryError("\(context): zone \(zone) lies inside \(other.name)'s zone \(other.zone); environments keep separate namespaces")
            }
        }
    }
}

extension Service {
    func validateText(context: String) throws(InventoryError) {
        for pattern in redisKeys where !Inventory.matches(pattern, "[a-z][a-z0-9_-]{0,40}:\\*") {
            throw InventoryError("\(context): redis key pattern \(pattern) must be a prefix like access:*")
        }
        if redis == .none, !redisKeys.isEmpty { throw InventoryError("\(context): redis_keys without Redis use") }
        if redis != .none, redisKeys.isEmpty { throw InventoryError("\(context): a service using Redis lists its redis_keys") }
        for path in paths + signInPaths where !Inventory.matches(path, Inventory.pathPattern) {
            throw InventoryError("\(context): \(path) is not a plain absolute path")
        }
        for (field, value, pattern) in [("owner", owner, "[a-z][a-z0-9-]{0,62}"), ("database", database ?? "none", "[a-z][a-z0-9_]{0,62}"),
                                        ("cpu", resources.cpu, "[0-9]{1,5}m?"), ("memory", resources.memory, "[0-9]{1,6}(Mi|Gi)")]
            where !Inventory.matches(value, pattern) {
            throw InventoryError("\(context): \(field) \(value) is not of the form \(pattern)")
        }
    }

    func validateExposure(context: String, hosts: inout [String: String], frontends: [Frontend]) throws(InventoryError) {
        switch exposure {
        case .internal:
            guard host == nil else { throw InventoryError("\(context): an internal service has no host (it is never routed)") }
        case .public:
            guard let host, Inventory.isLabel(host) else { throw InventoryError("\(context): a public service needs a host (a DNS label)") }
            guard ports.public != nil else { throw InventoryError("\(context): a public service needs a public port") }
            guard !paths.isEmpty, paths.allSatisfy({ $0.hasPrefix("/") && !$0.contains(" ") && !$0.contains(";") }) else {
                throw InventoryError("\(context): paths must be absolute prefixes")
            }
            if let other = hosts[host] {
                // A service may share a frontend's host under its own path prefix (Admin under /admin/v1/).
                let sharesFrontend = frontends.contains { $0.name == other } && !paths.contains("/")
                guard sharesFrontend else { throw InventoryError("\(context): host \(host) is also \(other)'s") }
            } else {
                hosts[host] = name
            }
        }
    }
}
