import ArgumentParser

/// Operations commands for the Kisum platform: database provisioning and migrations,
/// configuration reference, key generation.
@main
struct KisumOps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kisum-ops",
        abstract: "Operate the Kisum platform: databases, migrations, configuration, keys, status and runbooks.",
        subcommands: [DatabaseCommand.self, ConfigCommand.self, KeysCommand.self, LocalCommand.self, AuthCommand.self, SmokeCommand.self, StatusCommand.self, RunbookCommand.self, SigninCommand.self, InventoryCommand.self, DeployCommand.self, BackupCommand.self, PreflightCommand.self])
}
