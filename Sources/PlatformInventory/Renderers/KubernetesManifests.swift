/// An environment's Kubernetes manifests: per daemon a Deployment (probes on the management
/// listener, requests and limits, graceful termination, non-root, read-only root filesystem,
/// secrets mounted as files from a Secret never inlined), its Services, a PodDisruptionBudget,
/// a HorizontalPodAutoscaler, a NetworkPolicy that admits only the matrix's callers to the
/// management listener (and only the ingress controller to the public one) and the migration
/// Job that runs before the rollout; per environment the namespace with a default deny, and
/// the Ingress for the public hostnames.
public struct KubernetesManifests: Sendable {
    public let inventory: Inventory
    public let environment: InventoryEnvironment
    /// Where container images come from; `kisum-ops deploy` pins the release's digest.
    public static let registry = "registry.kisum.internal/kisum"
    /// The namespace of the ingress controller and of Prometheus.
    public static let ingressNamespace = "ingress-nginx"
    public static let monitoringNamespace = "monitoring"
    /// Added to each daemon's `SHUTDOWN_GRACE` (10 s) for the pod's termination grace.
    public static let shutdownGraceSeconds = 10

    public init(inventory: Inventory, environment: InventoryEnvironment) {
        self.inventory = inventory
        self.environment = environment
    }

    var namespace: String { environment.namespace ?? "kisum" }

    /// File name → contents, relative to `daemons/kubernetes/<environment>/`.
    public func files() -> [(name: String, contents: String)] {
        var files = [("namespace.yaml", namespaceManifest()), ("ingress.yaml", ingressManifest()),
                     ("ingress-controller.yaml", ingressControllerConfiguration())]
        for service in inventory.services(in: environment) {
            files.append(("\(service.name).yaml", serviceManifests(service)))
            if service.database != nil { files.append(("\(service.name)-migrate.yaml", migrationJob(service))) }
        }
        return files
    }

    func header(_ what: String) -> String {
        GeneratedText.header(comment: "#", what: "\(what) (\(environment.name))")
    }

    func labels(_ service: Service, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        return "\(pad)app.kubernetes.io/name: \(service.unitName)\n\(pad)app.kubernetes.io/part-of: kisum\n\(pad)kisum.io/service: \(service.name)\n"
    }

    func namespaceManifest() -> String {
        header("the namespace, denying all ingress by default") + """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: \(namespace)
          labels:
            kisum.io/environment: \(environment.name)
            pod-security.kubernetes.io/enforce: restricted
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: default-deny-ingress
          namespace: \(namespace)
        spec:
          podSelector: {}
          policyTypes: [Ingress]

        """
    }
}
