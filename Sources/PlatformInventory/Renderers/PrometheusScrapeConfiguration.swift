/// Prometheus's scrape configuration for an environment: one job per daemon (`kisum-<service>`,
/// the name the alert rules match), its management listener's `/metrics`, labelled with the
/// environment and the owning team. Static targets for processes hosting; the pods behind the headless
/// `<unit>-management` Service (DNS) otherwise.
public struct PrometheusScrapeConfiguration: Sendable {
    public let inventory: Inventory
    public let environment: InventoryEnvironment

    public init(inventory: Inventory, environment: InventoryEnvironment) {
        self.inventory = inventory
        self.environment = environment
    }

    public func render() -> String {
        var out = GeneratedText.header(comment: "#", what: "Prometheus scrape configuration for \(environment.name)")
        out += """
        global:
          scrape_interval: 15s
          evaluation_interval: 15s
          external_labels:
            environment: \(environment.name)
        rule_files:
          - ../alerts/kisum.rules.yml
        scrape_configs:

        """
        for service in inventory.services(in: environment) {
            out += "  - job_name: \(service.unitName)\n    metrics_path: /metrics\n"
            switch environment.hosting {
            case .processes:
                out += """
                    static_configs:
                      - targets: ["\(environment.upstreamHost ?? "127.0.0.1"):\(service.ports.management)"]
                        labels: { instance: \(service.name)-1, owner: \(service.owner) }

                """
            case .kubernetes:
                // The management Service is headless: its DNS name lists every pod.
                out += """
                    dns_sd_configs:
                      - names: [\(service.unitName)-management.\(environment.namespace ?? "").svc.cluster.local]
                        type: A
                        port: \(service.ports.management)
                    relabel_configs:
                      - target_label: owner
                        replacement: \(service.owner)

                """
            }
        }
        if environment.hosting == .kubernetes {
            // Certificate expiry and reachability of every public hostname, through the ingress
            // (the blackbox exporter's TLS handshake): the KisumCertificate* and KisumPublicEndpointDown alerts.
            let targets = NginxConfiguration(inventory: inventory, environment: environment).hostnames
                .map { "\"\($0):\(environment.httpsPort)\"" }.joined(separator: ", ")
            out += """
              - job_name: kisum-tls
                metrics_path: /probe
                params: { module: [tls_connect] }
                static_configs:
                  - targets: [\(targets)]
                relabel_configs:
                  - source_labels: [__address__]
                    target_label: __param_target
                  - source_labels: [__param_target]
                    target_label: instance
                  - target_label: __address__
                    replacement: \(Self.blackboxExporter)

            """
        }
        return out
    }

    /// The blackbox exporter's address inside a cluster.
    public static let blackboxExporter = "blackbox-exporter.monitoring.svc:9115"
}
