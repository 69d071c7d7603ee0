import ArgumentParser
import Foundation
import PlatformInventory

/// `kisum-ops preflight --env E`: every item of the spec's security review and go-live
/// checklists a machine can check, as a pass/fail table with reasons; the rest listed for a
/// person. Exit 1 when an item fails.
struct PreflightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preflight", abstract: "Check the go-live and security checklists for an environment.")

    @OptionGroup var options: InventoryCommand.Options
    @Option(help: "The environment (local, dev, staging, production).") var env: String
    @Option(help: "Auth's public URL, to check the JWKS live (e.g. https://auth.kisum.io).") var authURL: String?
    @Option(help: "The backup folder, to check the newest backups and restore drills.") var backupFolder: String?
    @Option(help: "The file listing the repository's tracked files (default: git ls-files).") var trackedFiles: String?

    func run() async throws {
        let inventory = try options.load()
        guard let environment = inventory.environment(env) else {
            throw ValidationError("unknown environment \(env); known: \(inventory.environments.map(\.name).joined(separator: ", "))")
        }
        let checks = PreflightChecks(inventory: inventory, environment: environment, root: options.rootURL)
        var items = checks.staticItems()
        items.append(try await checks.jwks(authURL: authURL))
        items += checks.backups(folder: backupFolder.map { URL(fileURLWithPath: $0, isDirectory: true) })
        items.append(try checks.noSecretsInRepository(trackedFiles: trackedFiles))
        items += PreflightChecks.manual.map { PreflightItem(title: $0, outcome: .manual, reason: "a person confirms") }
        let report = PreflightReport(environment: environment.name, items: items)
        print(report.rendered(), terminator: "")
        if report.failed { throw ExitCode(1) }
    }
}
