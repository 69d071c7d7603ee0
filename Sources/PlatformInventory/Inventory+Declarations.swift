import PlatformDaemon
import PlatformKit
import Yams

extension Inventory {
    /// Where the inventory disagrees with what the daemons declare in code (ports, database,
    /// Redis use, secrets), and daemons missing from it. Empty when they agree.
    public func mismatches(with descriptors: [DaemonDescriptor]) -> [String] {
        var problems: [String] = []
        for descriptor in descriptors {
            guard let service = service(descriptor.name) else {
                problems.append("\(descriptor.name): a daemon the inventory does not list"); continue
            }
            func differ(_ what: String, _ declared: String, _ listed: String) {
                if declared != listed { problems.append("\(descriptor.name): \(what): \(declared) in code, \(listed) in the inventory") }
            }
            differ("the public port", descriptor.publicPort.map(String.init) ?? "none", service.ports.public.map(String.init) ?? "none")
            differ("the management port", "\(descriptor.managementPort)", "\(service.ports.management)")
            differ("the database", descriptor.databasePrefix == nil ? "none" : "kisum_\(descriptor.name)", service.database ?? "none")
            let redis = switch descriptor.redis { case .none: "none"; case .optional: "optional"; case .required: "required" }
            differ("Redis use", redis, service.redis.rawValue)
            let secrets = descriptor.configSpec.keys.filter(\.isSecret)
            let optional = secrets.filter { if case .optional = $0.requirement { true } else { false } }.map(\.name)
            let required = secrets.map(\.name).filter { !optional.contains($0) }
            differ("the secrets", required.sorted().joined(separator: ", "), service.secrets.sorted().joined(separator: ", "))
            differ("the optional secrets", optional.sorted().joined(separator: ", "), service.optionalSecrets.sorted().joined(separator: ", "))
            if !descriptor.servesInternalRoutes, !service.callers.isEmpty {
                problems.append("\(descriptor.name): serves no internal routes, yet the inventory lists callers")
            }
        }
        let declared = Set(descriptors.map(\.name))
        for service in services where !declared.contains(service.name) {
            problems.append("\(service.name): listed in the inventory but no daemon declares it")
        }
        return problems
    }

    /// Alert names the inventory mentions that the rules file does not define.
    public func unknownAlerts(rulesYAML: String) throws -> [String] {
        struct Rules: Decodable {
            struct Group: Decodable { struct Rule: Decodable { let alert: String? }; let rules: [Rule] }
            let groups: [Group]
        }
        let defined = Set(try YAMLDecoder().decode(Rules.self, from: rulesYAML).groups.flatMap(\.rules).compactMap(\.alert))
        let mentioned = commonAlerts + services.flatMap(\.alerts)
        var seen = Set<String>()
        return mentioned.filter { !defined.contains($0) && seen.insert($0).inserted }
    }
}
