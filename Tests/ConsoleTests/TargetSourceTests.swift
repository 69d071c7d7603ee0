import ConsoleModel
import Foundation
import Testing

/// `kisum-console --state | --targets | --env`: exactly one source, an environment name never a
/// path, and every environment of the generated inventory loads with its Admin address.
@Suite struct TargetSourceTests {
    static let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("daemons").path

    @Test func exactlyOneSource() throws {
        #expect(try TargetInventory.file(state: ".kisum", targets: nil, environment: nil).path.hasSuffix(".kisum/console-targets.json"))
        #expect(try TargetInventory.file(state: nil, targets: "t.json", environment: nil).lastPathComponent == "t.json")
        #expect(try TargetInventory.file(state: nil, targets: nil, environment: "staging", assets: "daemons").path.hasSuffix("daemons/console/staging.json"))
        #expect(throws: InventoryError.self) { try TargetInventory.file(state: nil, targets: nil, environment: nil) }
        #expect(throws: InventoryError.self) { try TargetInventory.file(state: ".kisum", targets: nil, environment: "dev") }
        for bad in ["../etc", "prod/uction", "Staging", ""] {
            #expect(throws: InventoryError.self, "\(bad)") { try TargetInventory.file(state: nil, targets: nil, environment: bad) }
        }
    }

    @Test func everyGeneratedEnvironmentLoads() throws {
        for environment in ["local", "dev", "staging", "production"] {
            let inventory = try TargetInventory.load(from: try TargetInventory.file(state: nil, targets: nil, environment: environment, assets: Self.assets))
            #expect(inventory.environment == environment)
            #expect(inventory.targets.count >= 9, "\(environment): \(inventory.targets.map(\.service))")
            #expect(inventory.adminURL?.hasPrefix("https://") == true, "\(environment): \(String(describing: inventory.adminURL))")
        }
    }
}
