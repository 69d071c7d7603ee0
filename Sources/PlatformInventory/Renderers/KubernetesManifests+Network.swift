extension KubernetesManifests {
    /// Who may open a connection to this daemon: the ingress controller to its public listener;
    /// the matrix's callers, the management readers and Prometheus to its management listener.
    func networkPolicy(_ service: Service) -> String {
        var rules = ""
        if service.exposure == .public {
            let deployed = Set(inventory.services(in: environment).map(\.name))
            let pods = service.publicCallers.filter(deployed.contains)
                .map { "        - podSelector: { matchLabels: { app.kubernetes.io/name: kisum-\($0) } }\n" }.joined()
            rules += """
                - from:
                    - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: \(Self.ingressNamespace) } }
            \(pods)\
                  ports: [{ port: public }]

            """
        }
        var sources: [String] = []
        for caller in managementCallers(of: service) {
            sources.append("        - podSelector: { matchLabels: { app.kubernetes.io/name: kisum-\(caller) } }\n")
        }
        if inventory.managementReaders.contains("monitoring") {
            sources.append("        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: \(Self.monitoringNamespace) } }\n")
        }
        rules += "    - from:\n" + sources.joined() + "      ports: [{ port: management }]\n"
        return """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: \(service.unitName)
          namespace: \(namespace)
        spec:
          podSelector:
            matchLabels: { app.kubernetes.io/name: \(service.unitName) }
          policyTypes: [Ingress]
          ingress:
        \(rules)
        """
    }

    /// The services that may reach `service`'s management listener, deployed in this environment.
    public func managementCallers(of service: Service) -> [String] {
        let deployed = Set(inventory.services(in: environment).map(\.name))
        var callers = service.callers
        for reader in inventory.managementReaders where inventory.service(reader) != nil && !callers.contains(reader) {
            callers.append(reader)
        }
        return callers.filter(deployed.contains)
    }

    /// One Ingress per public service (its own body limit and timeouts), one for Auth's sign-in
    /// paths (rate limited), and the frontends' hosts; TLS from cert-manager.
    func ingressManifest() -> String {
        let issuer = environment.tls == .acme ? "letsencrypt" : "kisum-\(environment.name)-ca"
        let origins = inventory.frontends.map { "https://\(environment.hostname($0.host))" }.joined(separator: ", ")
        var documents: [String] = []
        func ingress(name: String, label: String, paths: [(String, String, String, String)], annotations: [(String, String)],
                     issues: Bool = true) -> String {
            let host = environment.hostname(label)
            // One certificate per hostname (a second Ingress on the host reuses it).
            let certificate = issues ? [("cert-manager.io/cluster-issuer", issuer)] : []
            let notes = (certificate + [("nginx.ingress.kubernetes.io/ssl-redirect", "true")] + annotations)
                .map { "    \($0.0): \"\($0.1)\"\n" }.joined()
            let rules = paths.map { path, type, backend, port in
                "          - { path: \(path), pathType: \(type), backend: { service: { name: \(backend), port: { name: \(port) } } } }\n"
            }.joined()
            return """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: \(name)
              namespace: \(namespace)
              annotations:
            \(notes)\
            spec:
              ingressClassName: nginx
              tls:
                - { hosts: [\(host)], secretName: kisum-\(label)-tls }
              rules:
                - host: \(host)
                  http:
                    paths:
            \(rules)
            """
        }
        let api: [(String, String)] = [
            ("nginx.ingress.kubernetes.io/enable-cors", "true"),
            ("nginx.ingress.kubernetes.io/cors-allow-origin", origins),
            ("nginx.ingress.kubernetes.io/cors-allow-credentials", "true"),
            ("nginx.ingress.kubernetes.io/cors-allow-headers", "authorization, content-type, idempotency-key, x-org, x-request-id"),
        ]
        for frontend in inventory.frontends {
            documents.append(ingress(name: "kisum-\(frontend.name)", label: frontend.host,
                                     paths: [("/", "Prefix", "kisum-\(frontend.name)", "http")], annotations: []))
        }
        for service in inventory.services(in: environment) where service.exposure == .public {
            guard let host = service.host else { continue }
            let seconds = "\(Self.seconds(service.timeout ?? "30s"))"
            let limits = api + [("nginx.ingress.kubernetes.io/proxy-body-size", service.bodyLimit ?? "1m"),
                                ("nginx.ingress.kubernetes.io/proxy-read-timeout", seconds),
                                ("nginx.ingress.kubernetes.io/proxy-send-timeout", seconds)]
            let paths = service.paths.map { ($0, "Prefix", service.unitName, "public") }
            let shared = inventory.frontends.contains { $0.host == host }
            documents.append(ingress(name: service.unitName, label: host, paths: paths, annotations: limits, issues: !shared))
            if !service.signInPaths.isEmpty {
                // Prefix, not Exact: `/auth/login/` reaches the same handler and must be limited too.
                let exact = service.signInPaths.map { ($0, "Prefix", service.unitName, "public") }
                documents.append(ingress(name: "\(service.unitName)-sign-in", label: host, paths: exact,
                                         annotations: limits + [("nginx.ingress.kubernetes.io/limit-rps", "5"),
                                                                ("nginx.ingress.kubernetes.io/limit-burst-multiplier", "3")],
                                         issues: false))
            }
        }
        return header("the ingress for public hostnames (Core and management listeners are never routed)")
            + documents.joined(separator: "---\n")
    }

    /// The ingress controller's settings the platform relies on (merge them into the
    /// controller's own ConfigMap — `controller.config` with the Helm chart): the security
    /// headers on every response, HSTS, no server version, no snippet annotations, and
    /// `X-Forwarded-*` set by the controller rather than taken from clients.
    func ingressControllerConfiguration() -> String {
        let headers = SecurityHeaders.everywhere.map { "  \($0.name): \"\($0.value)\"\n" }.joined()
        return header("the ingress controller's security settings (ingress-nginx)") + """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: kisum-security-headers
          namespace: \(Self.ingressNamespace)
        data:
        \(headers)\
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: ingress-nginx-controller
          namespace: \(Self.ingressNamespace)
        data:
          add-headers: "\(Self.ingressNamespace)/kisum-security-headers"
          hsts: "true"
          hsts-max-age: "\(SecurityHeaders.hstsMaxAgeSeconds)"
          hsts-include-subdomains: "true"
          ssl-redirect: "true"
          server-tokens: "false"
          allow-snippet-annotations: "false"
          use-forwarded-headers: "false"
          compute-full-forwarded-for: "false"

        """
    }

    /// `30s`, `3m`, `1h` in seconds.
    static func seconds(_ duration: String) -> Int {
        let value = Int(duration.dropLast()) ?? 30
        switch duration.last {
        case "m": return value * 60
        case "h": return value * 3600
        default: return value
        }
    }
}
