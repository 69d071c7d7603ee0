import ArgumentParser
import Foundation
import PlatformDaemon
import PlatformInventory

/// `kisum-ops inventory`: everything generated from `daemons/inventory.yml`.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory", abstract: "Generate the deployment assets from daemons/inventory.yml, or check them.",
        subcommands: [Generate.self, Check.self])

    struct Options: ParsableArguments {
        @Option(help: "The repository's root folder.") var root: String = FileManager.default.currentDirectoryPath

        var rootURL: URL { URL(fileURLWithPath: root, isDirectory: true) }

        func load() throws -> Inventory {
            do { return try Inventory.load(from: rootURL.appendingPathComponent("daemons/inventory.yml")) } catch {
                throw ValidationError("daemons/inventory.yml: \(error)")
            }
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write every generated file (ingress, DNS, Prometheus, console targets, tables, the network matrix).")
        @OptionGroup var options: Options

        func run() throws {
            let inventory = try options.load()
            try InventoryCommand.requireAgreement(inventory, root: options.rootURL)
            let changed = try inventory.write(root: options.rootURL)
            print(changed.isEmpty ? "every generated file is current" : changed.map { "wrote \($0)" }.joined(separator: "\n"))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Exit 1 if a generated file is stale or the inventory disagrees with the daemons' declarations.")
        @OptionGroup var options: Options

        func run() throws {
            let inventory = try options.load()
            try InventoryCommand.requireAgreement(inventory, root: options.rootURL)
            let stale = try inventory.staleFiles(root: options.rootURL)
            guard stale.isEmpty else {
                print(stale.map(\.description).joined(separator: "\n"))
                print("run `kisum-ops inventory generate`")
                throw ExitCode(1)
            }
            print("inventory: \(inventory.services.count) services, \(inventory.environments.count) environments; every generated file is current")
        }
    }

    /// Refuses an inventory that contradicts the daemons' own declarations or the alert rules.
    static func requireAgreement(_ inventory: Inventory, root: URL) throws {
        var problems = inventory.mismatches(with: DaemonCatalog.all.map { $0.descriptor })
        let rules = try String(contentsOf: root.appendingPathComponent("daemons/alerts/kisum.rules.yml"), encoding: .utf8)
        problems += try inventory.unknownAlerts(rulesYAML: rules).map { "alert \($0) is not in daemons/alerts/kisum.rules.yml" }
        guard problems.isEmpty else {
            throw ValidationError("the inventory disagrees with the code:\n  " + problems.joined(separator: "\n  "))
        }
    }
}

/// `kisum-ops deploy plan --env E`: the rollout order with its gates, from the inventory.
struct DeployCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy", abstract: "Plan a rollout to an environment.", subcommands: [Plan.self])

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the rollout order: migrations and rollouts with their gates, and what can be undone.")
        @OptionGroup var options: InventoryCommand.Options
        @Option(help: "The environment (local, dev, staging, production).") var env: String

        func run() throws {
            let inventory = try options.load()
            guard let environment = inventory.environment(env) else {
                throw ValidationError("unknown environment \(env); known: \(inventory.environments.map(\.name).joined(separator: ", "))")
            }
            print(DeployPlan(inventory: inventory, environment: environment).rendered(), terminator: "")
        }
    }
}
