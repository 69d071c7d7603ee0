import ArgumentParser
import PlatformDaemon
import PlatformKit

/// `kisum-ops config`: the variables each daemon reads, generated from its declarations.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print the environment variables every daemon reads (Markdown).")

    @Option(help: "Only this service.") var service: String?

    func run() throws {
        print(Self.reference(service: service))
    }

    static func reference(service: String? = nil) -> String {
        DaemonCatalog.all
            .filter { service == nil || $0.descriptor.name == service }
            .map { "#### `kisum-\($0.descriptor.name)`\n\n" + $0.descriptor.configSpec.markdownTable() }
            .joined(separator: "\n\n")
    }
}
