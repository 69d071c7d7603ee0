/// An environment's DNS records in zone-file syntax, to apply with the DNS provider (which owns
/// the SOA and NS records). Every public hostname points at the environment's ingress; a CAA
/// record says which CA may issue its certificates. Each environment has a zone of its own, so
/// no record is shared between production and the others.
public struct DNSZone: Sendable {
    public let inventory: Inventory
    public let environment: InventoryEnvironment

    public init(inventory: Inventory, environment: InventoryEnvironment) {
        self.inventory = inventory
        self.environment = environment
    }

    /// Whether the environment needs records at all (`*.localhost` resolves to loopback by itself).
    public var isNeeded: Bool { !environment.zone.hasSuffix("localhost") }

    /// The hostnames' labels in this zone, frontends first.
    public var labels: [String] {
        NginxConfiguration(inventory: inventory, environment: environment).hostnames
            .map { String($0.dropLast(environment.zone.count + 1)) }
    }

    public func render() -> String {
        var out = GeneratedText.header(comment: ";", what: "the \(environment.name) zone's records")
        out += "$ORIGIN \(environment.zone).\n$TTL \(environment.dnsTTL)\n"
        switch environment.tls {
        case .acme: out += "@\tIN\tCAA\t0 issue \"letsencrypt.org\"\n"
        case .localCA: out += "@\tIN\tCAA\t0 issue \";\"\t; certificates come from the environment's own CA only\n"
        }
        let type = environment.ingressAddress.contains(":") ? "AAAA" : "A"
        for label in labels {
            out += "\(label)\tIN\t\(type)\t\(environment.ingressAddress)\n"
        }
        return out
    }
}
