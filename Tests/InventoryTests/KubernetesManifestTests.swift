import Foundation
import PlatformInventory
import PlatformTesting
import Testing
import Yams

/// The generated Kubernetes manifests: valid for the API (offline schema check), the network
/// matrix as NetworkPolicies (every allowed edge has a policy, no other edge does), and every
/// Deployment hardened the same way.
@Suite struct KubernetesManifestTests {
    let inventory: Inventory
    let environments: [InventoryEnvironment]

    init() throws {
        inventory = try Inventory.load(from: TestEnvironment.root.appendingPathComponent("daemons/inventory.yml"))
        environments = inventory.environments.filter { $0.hosting == .kubernetes }
    }

    func documents(_ environment: InventoryEnvironment) throws -> [[String: Any]] {
        try KubernetesManifests(inventory: inventory, environment: environment).files().flatMap { file in
            try Yams.load_all(yaml: file.contents).compactMap { $0 as? [String: Any] }
        }
    }

    @Test func theManifestsAreValidKubernetesObjects() async throws {
        #expect(environments.count == 3)
        for environment in environments {
            let folder = TestEnvironment.root.appendingPathComponent("daemons/kubernetes/\(environment.name)")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
            #expect(files.count >= 10)
            let check = try await ChildProcess.run(TestEnvironment.python, ["-m", "kubernetes_validate", "--strict", "--quiet", "-k", "1.30.0"]
                                                   + files.map { folder.appendingPathComponent($0).path })
            #expect(check.status == 0, "\(environment.name): \(check.output)")
        }
    }

    /// caller → callee edges the policies admit to management listeners, from the manifests themselves.
    func admittedEdges(_ documents: [[String: Any]]) -> (edges: Set<String>, namespaces: Set<String>) {
        var edges = Set<String>(), namespaces = Set<String>()
        for document in documents where document["kind"] as? String == "NetworkPolicy" {
            let spec = document["spec"] as? [String: Any] ?? [:]
            guard let callee = ((spec["podSelector"] as? [String: Any])?["matchLabels"] as? [String: Any])?["app.kubernetes.io/name"] as? String else { continue }
            for rule in spec["ingress"] as? [[String: Any]] ?? [] {
                let ports = (rule["ports"] as? [[String: Any]] ?? []).compactMap { $0["port"] as? String }
                for source in rule["from"] as? [[String: Any]] ?? [] {
                    if let caller = ((source["podSelector"] as? [String: Any])?["matchLabels"] as? [String: Any])?["app.kubernetes.io/name"] as? String {
                        for port in ports { edges.insert("\(caller)→\(callee):\(port)") }
                    }
                    if let namespace = ((source["namespaceSelector"] as? [String: Any])?["matchLabels"] as? [String: Any])?["kubernetes.io/metadata.name"] as? String {
                        for port in ports { namespaces.insert("\(namespace)→\(callee):\(port)") }
                    }
                }
            }
        }
        return (edges, namespaces)
    }

    @Test func networkPoliciesAdmitExactlyTheMatrix() throws {
        for environment in environments {
            let deployed = inventory.services(in: environment)
            let names = Set(deployed.map(\.name))
            var expected = Set<String>(), expectedNamespaces = Set<String>()
            for service in deployed {
                for caller in service.callers + ["admin"] where names.contains(caller) {
                    expected.insert("kisum-\(caller)→\(service.unitName):management")
                }
                for caller in service.publicCallers where names.contains(caller) {
                    expected.insert("kisum-\(caller)→\(service.unitName):public")
                }
                expectedNamespaces.insert("monitoring→\(service.unitName):management")
                if service.exposure == .public { expectedNamespaces.insert("ingress-nginx→\(service.unitName):public") }
            }
            let admitted = admittedEdges(try documents(environment))
            #expect(admitted.edges == expected, "\(environment.name): extra \(admitted.edges.subtracting(expected).sorted()), missing \(expected.subtracting(admitted.edges).sorted())")
            #expect(admitted.namespaces == expectedNamespaces, "\(environment.name)")
            // The spec's one named rule: Core only from Auth and Admin.
            #expect(admitted.edges.filter { $0.contains("→kisum-core:") } == Set(["kisum-auth→kisum-core:management", "kisum-admin→kisum-core:management"]))
            #expect(!admitted.namespaces.contains { $0.contains("→kisum-core:public") })
        }
    }

    /// The ingress controller adds the spec's security headers (the same table as the local
    /// nginx) and HSTS to every response, allows no snippets, and trusts no client's
    /// X-Forwarded-*; every Ingress sends only to public ports (never a management listener).
    @Test func theIngressAddsTheSecurityHeadersAndRoutesOnlyPublicPorts() throws {
        for environment in environments {
            let all = try documents(environment)
            let maps = all.filter { $0["kind"] as? String == "ConfigMap" }
            func data(_ name: String) -> [String: String] {
                maps.first { ($0["metadata"] as? [String: Any])?["name"] as? String == name }?["data"] as? [String: String] ?? [:]
            }
            let controller = data("ingress-nginx-controller")
            #expect(controller["add-headers"] == "\(KubernetesManifests.ingressNamespace)/kisum-security-headers", "\(environment.name)")
            #expect(controller["hsts"] == "true" && controller["hsts-include-subdomains"] == "true" && controller["allow-snippet-annotations"] == "false")
            #expect(controller["use-forwarded-headers"] == "false")
            let headers = data("kisum-security-headers")
            #expect(headers == Dictionary(uniqueKeysWithValues: SecurityHeaders.everywhere.map { ($0.name, $0.value) }), "\(headers)")
            #expect(Set(headers.keys).isSuperset(of: ["X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"]))

            for ingress in all where ingress["kind"] as? String == "Ingress" {
                let rules = (ingress["spec"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
                for rule in rules {
                    let paths = ((rule["http"] as? [String: Any])?["paths"] as? [[String: Any]]) ?? []
                    for path in paths {
                        let port = (((path["backend"] as? [String: Any])?["service"] as? [String: Any])?["port"] as? [String: Any])?["name"] as? String
                        #expect(port == "public" || port == "http", "\(environment.name): \(path)")
                    }
                }
            }
        }
    }

    /// Admin's operations overview reads every daemon of the environment, at the Service the
    /// network policies admit it to.
    @Test func theOperationsOverviewCoversEveryDaemon() throws {
        for environment in environments {
            let admin = try #require(try documents(environment).first { document in
                document["kind"] as? String == "Deployment" && (document["metadata"] as? [String: Any])?["name"] as? String == "kisum-admin"
            })
            let pod = ((admin["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any] ?? [:]
            let env = ((pod["containers"] as? [[String: Any]])?.first?["env"] as? [[String: Any]]) ?? []
            let targets = try #require(env.first { $0["name"] as? String == "OPERATIONS_TARGETS" }?["value"] as? String)
            let named = targets.split(separator: ",").map { String($0.split(separator: "=")[0]) }
            #expect(Set(named) == Set(inventory.services(in: environment).map(\.name)), "\(environment.name): \(named)")
            let namespace = try #require(environment.namespace)
            #expect(targets.split(separator: ",").allSatisfy { $0.contains("-management.\(namespace).svc.cluster.local:") }, "\(targets)")
        }
    }

    @Test func everyDeploymentIsHardenedAndProbedOnItsManagementListener() throws {
        for environment in environments {
            let deployments = try documents(environment).filter { $0["kind"] as? String == "Deployment" }
            #expect(deployments.count == inventory.services(in: environment).count)
            for deployment in deployments {
                let name = (deployment["metadata"] as? [String: Any])?["name"] as? String ?? "?"
                let pod = ((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any] ?? [:]
                #expect((pod["securityContext"] as? [String: Any])?["runAsNonRoot"] as? Bool == true, "\(name)")
                #expect(pod["automountServiceAccountToken"] as? Bool == false, "\(name)")
                #expect((pod["terminationGracePeriodSeconds"] as? Int ?? 0) > KubernetesManifests.shutdownGraceSeconds + KubernetesManifests.drainSeconds, "\(name)")
                // The autoscaler owns the replica count; a rollout must not reset it.
                let spec = deployment["spec"] as? [String: Any] ?? [:]
                let service = try #require(inventory.service(String(name.dropFirst("kisum-".count))))
                #expect((spec["replicas"] == nil) == (service.replicas.max > service.replicas.min), "\(name)")
                let container = (pod["containers"] as? [[String: Any]])?.first ?? [:]
                let security = container["securityContext"] as? [String: Any] ?? [:]
                #expect(security["readOnlyRootFilesystem"] as? Bool == true && security["allowPrivilegeEscalation"] as? Bool == false, "\(name)")
                for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                    let port = ((container[probe] as? [String: Any])?["httpGet"] as? [String: Any])?["port"] as? String
                    #expect(port == "management", "\(name) \(probe)")
                }
                // Secrets are files from a Secret; no variable carries a secret's value.
                let variables = (container["env"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                for secret in service.secrets {
                    #expect(variables.contains("\(secret)_FILE") && !variables.contains(secret), "\(name): \(secret)")
                }
            }
        }
    }
}
