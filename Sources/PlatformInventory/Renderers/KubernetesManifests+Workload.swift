import ConsoleModel

extension KubernetesManifests {
    /// The pod and container security every Kisum pod runs with (restricted Pod Security).
    static let podSecurity = """
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            runAsGroup: 10001
            fsGroup: 10001
            seccompProfile: { type: RuntimeDefault }
    """
    static let containerSecurity = """
              securityContext:
                allowPrivilegeEscalation: false
                readOnlyRootFilesystem: true
                capabilities: { drop: [ALL] }
    """

    /// Seconds a terminating pod keeps serving while it is taken out of the endpoints.
    public static let drainSeconds = 5

    /// The Deployment, Services, PodDisruptionBudget, HorizontalPodAutoscaler and NetworkPolicy of one daemon.
    func serviceManifests(_ service: Service) -> String {
        var documents = [deployment(service)]
        documents += services(service)
        documents.append("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: \(service.unitName)
          namespace: \(namespace)
        spec:
          maxUnavailable: 1
          selector:
            matchLabels: { app.kubernetes.io/name: \(service.unitName) }

        """)
        if service.replicas.max > service.replicas.min {
            documents.append("""
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: \(service.unitName)
              namespace: \(namespace)
            spec:
              scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: \(service.unitName) }
              minReplicas: \(service.replicas.min)
              maxReplicas: \(service.replicas.max)
              metrics:
                - type: Resource
                  resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }

            """)
        }
        documents.append(networkPolicy(service))
        return header("\(service.unitName)") + documents.joined(separator: "---\n")
    }

    /// The service whose operations overview reads every management listener (`OPERATIONS_TARGETS`).
    static let operationsOverview = "admin"

    private func deployment(_ service: Service) -> String {
        var env = [("KISUM_ENV", environment.name), ("KISUM_MANAGEMENT_LISTEN", "0.0.0.0:\(service.ports.management)"),
                   ("SHUTDOWN_GRACE", "\(Self.shutdownGraceSeconds)s")]
        if let port = service.ports.public { env.insert(("KISUM_PUBLIC_LISTEN", "0.0.0.0:\(port)"), at: 1) }
        if service.database != nil { env.append(("\(service.name.uppercased())_DB_POOL_MAX", "\(service.dbPool)")) }
        env += service.secrets.map { ("\($0)_FILE", "/run/secrets/\(service.unitName)/\($0.lowercased())") }
        if service.name == Self.operationsOverview {
            // Every daemon's management listener, as the console reaches it in this cluster.
            let targets = ConsoleTargetsFile(inventory: inventory, environment: environment).targets.targets
            env.append(("OPERATIONS_TARGETS", targets.map { "\($0.service)=\($0.managementURL)" }.joined(separator: ",")))
        }
        var ports = ["            - { name: management, containerPort: \(service.ports.management) }\n"]
        if let port = service.ports.public { ports.insert("            - { name: public, containerPort: \(port) }\n", at: 0) }
        return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(service.unitName)
          namespace: \(namespace)
          labels:
        \(labels(service, indent: 4))\
          annotations:
            kisum.io/owner: \(service.owner)
        spec:
        \(service.replicas.max > service.replicas.min ? "" : "  replicas: \(service.replicas.min)\n")\
          revisionHistoryLimit: 5
          strategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }
          selector:
            matchLabels: { app.kubernetes.io/name: \(service.unitName) }
          template:
            metadata:
              labels:
        \(labels(service, indent: 8))\
            spec:
              automountServiceAccountToken: false
              terminationGracePeriodSeconds: \(Self.shutdownGraceSeconds + Self.drainSeconds + 5)
        \(Self.podSecurity)
              containers:
                - name: \(service.unitName)
                  image: \(Self.registry)/\(service.unitName):unreleased
                  env:
        \(env.map { "            - { name: \($0.0), value: \"\($0.1)\" }\n" }.joined())\
                  envFrom:
                    - configMapRef: { name: \(service.unitName)-config }
                  ports:
        \(ports.joined())\
                  # Endpoints and the ingress stop sending before SIGTERM closes the listeners.
                  lifecycle: { preStop: { sleep: { seconds: \(Self.drainSeconds) } } }
                  startupProbe: { httpGet: { path: /health, port: management }, periodSeconds: 2, failureThreshold: 30 }
                  livenessProbe: { httpGet: { path: /health, port: management }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 }
                  readinessProbe: { httpGet: { path: /ready, port: management }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 }
                  resources:
                    requests: { cpu: \(service.resources.cpu), memory: \(service.resources.memory) }
                    limits: { memory: \(Self.doubled(service.resources.memory)) }
        \(Self.containerSecurity)
                  volumeMounts:
                    - { name: secrets, mountPath: /run/secrets/\(service.unitName), readOnly: true }
                    - { name: tmp, mountPath: /tmp }
              volumes:
                - name: secrets
                  secret: { secretName: \(service.unitName)-secrets, defaultMode: 288 }
                - name: tmp
                  emptyDir: { sizeLimit: 64Mi }

        """
    }

    private func services(_ service: Service) -> [String] {
        var ports = [("\(service.unitName)-management", "management", service.ports.management)]
        if service.exposure == .public, let port = service.ports.public { ports.insert((service.unitName, "public", port), at: 0) }
        return ports.map { name, portName, port in
            """
            apiVersion: v1
            kind: Service
            metadata:
              name: \(name)
              namespace: \(namespace)
              labels:
            \(labels(service, indent: 4))\
            spec:
            \(portName == "management" ? "  clusterIP: None  # headless: Prometheus finds every pod through DNS, ready or not\n  publishNotReadyAddresses: true\n" : "")\
              selector: { app.kubernetes.io/name: \(service.unitName) }
              ports:
                - { name: \(portName), port: \(port), targetPort: \(portName) }

            """
        }
    }

    /// The migration Job `kisum-ops deploy` runs, and waits for, before the daemon's rollout.
    func migrationJob(_ service: Service) -> String {
        let variable = "\(service.name.uppercased())_MIGRATION_DB_URL"
        let secret = "\(service.unitName)-migration"
        return header("\(service.unitName)'s migrations, run before its rollout") + """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: \(service.unitName)-migrate
          namespace: \(namespace)
          labels:
        \(labels(service, indent: 4))\
        spec:
          backoffLimit: 0
          activeDeadlineSeconds: 600
          ttlSecondsAfterFinished: 86400
          template:
            metadata:
              labels: { kisum.io/service: \(service.name), kisum.io/job: migrate }
            spec:
              restartPolicy: Never
              automountServiceAccountToken: false
        \(Self.podSecurity)
              containers:
                - name: migrate
                  image: \(Self.registry)/kisum-ops:unreleased
                  args: [db, migrate, \(service.name)]
                  env:
                    - { name: KISUM_ENV, value: "\(environment.name)" }
                    - { name: \(variable)_FILE, value: "/run/secrets/\(secret)/\(variable.lowercased())" }
                  resources:
                    requests: { cpu: 100m, memory: 128Mi }
                    limits: { memory: 256Mi }
        \(Self.containerSecurity)
                  volumeMounts:
                    - { name: secrets, mountPath: /run/secrets/\(secret), readOnly: true }
              volumes:
                - name: secrets
                  secret: { secretName: \(secret), defaultMode: 288 }

        """
    }

    /// `256Mi` → `512Mi`: the memory limit, twice the request.
    static func doubled(_ quantity: String) -> String {
        let digits = quantity.prefix { $0.isNumber }
        guard let value = Int(digits) else { return quantity }
        return "\(value * 2)\(quantity.dropFirst(digits.count))"
    }
}

