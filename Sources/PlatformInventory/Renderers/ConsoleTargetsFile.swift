import ConsoleModel
import Foundation

/// The console's targets for an environment (`kisum-console --targets FILE`): every daemon's
/// management listener as the console reaches it — loopback for processes hosting, the
/// cluster's Service names otherwise (run the console from a host inside the cluster network).
public struct ConsoleTargetsFile: Sendable {
    public let inventory: Inventory
    public let environment: InventoryEnvironment

    public init(inventory: Inventory, environment: InventoryEnvironment) {
        self.inventory = inventory
        self.environment = environment
    }

    public var targets: TargetInventory {
        let targets = inventory.services(in: environment).map { service -> Target in
            let publicURL = service.host.map { "https://\(environment.hostname($0))" }
            switch environment.hosting {
            case .processes:
                let host = environment.upstreamHost ?? "127.0.0.1"
                return Target(service: service.name, instance: "\(service.name)-1",
                              managementURL: "http://\(host):\(service.ports.management)", publicURL: publicURL)
            case .kubernetes:
                let namespace = environment.namespace ?? ""
                return Target(service: service.name, instance: "all",
                              managementURL: "http://\(service.unitName)-management.\(namespace).svc.cluster.local:\(service.ports.management)",
                              publicURL: publicURL)
            }
        }
        return TargetInventory(environment: environment.name, targets: targets)
    }

    public func render() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(targets), as: UTF8.self) + "\n"
    }
}
