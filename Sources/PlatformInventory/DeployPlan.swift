/// The rollout of a release to an environment, in the spec's order — Core's database, Core,
/// Auth's database, Auth, the module backends, Admin, the frontends — each daemon's migration
/// before its rollout, every step behind a gate, and whether it can be undone.
public struct DeployPlan: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public enum Kind: String, Sendable { case migrate, rollout, frontends, smoke }
        public let kind: Kind
        /// The service, or nil for the frontends and the smoke test.
        public let service: String?
        /// What to run.
        public let command: String
        /// What must hold before the next step starts.
        public let gate: String
        /// Whether the step can be undone, and how.
        public let undo: String?
    }

    public let environment: String
    public let steps: [Step]

    /// Groups in rollout order: Core, Auth, the module backends (and the canary where it runs), Admin.
    static func order(_ services: [Service]) -> [Service] {
        func rank(_ service: Service) -> Int {
            switch service.name {
            case "core": 0
            case "auth": 1
            case "admin": 3
            default: 2
            }
        }
        return services.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    public init(inventory: Inventory, environment: InventoryEnvironment) {
        self.environment = environment.name
        var steps: [Step] = []
        let namespace = environment.namespace ?? ""
        let folder = "daemons/kubernetes/\(environment.name)"
        for service in Self.order(inventory.services(in: environment)) {
            if let database = service.database {
                let command = switch environment.hosting {
                case .kubernetes:
                    "kubectl -n \(namespace) delete job \(service.unitName)-migrate --ignore-not-found && kubectl apply -f \(folder)/\(service.name)-migrate.yaml"
                        + " && kubectl -n \(namespace) wait --for=condition=complete job/\(service.unitName)-migrate --timeout=600s"
                case .processes:
                    "kisum-ops db migrate \(service.name)"
                }
                steps.append(Step(kind: .migrate, service: service.name, command: command,
                                  gate: "every migration of \(database) applied (kisum-ops db status \(service.name))",
                                  undo: nil))
            }
            let command = switch environment.hosting {
            case .kubernetes:
                "kubectl apply -f \(folder)/\(service.name).yaml && kubectl -n \(namespace) rollout status deployment/\(service.unitName) --timeout=300s"
            case .processes:
                "systemctl restart kisum@\(service.name) && kisum-ops status --json"
            }
            let undo = switch environment.hosting {
            case .kubernetes: "kubectl -n \(namespace) rollout undo deployment/\(service.unitName)"
            case .processes: "reinstall the previous release's kisum-\(service.name) and systemctl restart kisum@\(service.name)"
            }
            steps.append(Step(kind: .rollout, service: service.name, command: command,
                              gate: "\(service.unitName) /ready on every instance", undo: undo))
        }
        steps.append(Step(kind: .frontends, service: nil, command: "deploy the frontends from their repositories",
                          gate: "https://\(environment.hostname(inventory.frontends.first?.host ?? "app")) answers", undo: "redeploy the previous build"))
        steps.append(Step(kind: .smoke, service: nil, command: "kisum-ops smoke --env \(environment.name)",
                          gate: "every smoke check passes", undo: nil))
        self.steps = steps
    }

    /// The plan as numbered lines for an operator.
    public func rendered() -> String {
        var out = "Rollout to \(environment) (stop at the first failed gate; migrations are forward-only: undo one by restoring the database)\n"
        for (number, step) in steps.enumerated() {
            out += "\n\(number + 1). \(step.kind.rawValue)\(step.service.map { " \($0)" } ?? "")\n"
            out += "   run:  \(step.command)\n   gate: \(step.gate)\n"
            out += "   undo: \(step.undo ?? "not reversible")\n"
        }
        return out
    }
}
