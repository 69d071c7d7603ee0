import Foundation

/// The console's targets in one environment: the file `kisum-ops local setup` writes into the
/// local state folder (`console-targets.json`) and the operations inventory generates for the
/// other environments.
public struct TargetInventory: Sendable, Codable, Equatable {
    public let environment: String
    public let targets: [Target]

    public init(environment: String, targets: [Target]) {
        self.environment = environment
        self.targets = targets
    }

    /// The name of the file in a state folder.
    public static let fileName = "console-targets.json"

    /// Reads and checks `file`: a clear error names what is wrong (never a crash on a bad file).
    public static func load(from file: URL) throws -> TargetInventory {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw InventoryError("cannot read \(file.path): \(error.localizedDescription)")
        }
        let inventory: TargetInventory
        do { inventory = try JSONDecoder().decode(TargetInventory.self, from: data) } catch {
            throw InventoryError("\(file.path) is not a target inventory (environment, targets[service, instance, management_url]): \(error)")
        }
        for target in inventory.targets {
            guard let url = URL(string: target.managementURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw InventoryError("\(file.path): \(target.id) has no usable management_url (\(target.managementURL))")
            }
        }
        let ids = inventory.targets.map(\.id)
        if let duplicate = ids.first(where: { id in ids.filter { $0 == id }.count > 1 }) {
            throw InventoryError("\(file.path): \(duplicate) is listed twice")
        }
        return inventory
    }

    public func write(to file: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: file, options: .atomic)
    }
}

/// A target inventory that cannot be used, with the reason.
public struct InventoryError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
