import ArgumentParser
import ServiceAuth

/// `kisum-ops keys …`: key material generated at setup, never committed.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Generate key material.", subcommands: [ServiceKeyCommand.self])

    struct ServiceKeyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "service", abstract: "Generate an Ed25519 service-credential key pair (shell assignments).")

        func run() {
            let key = ServiceKey()
            print("PRIVATE=\(key.privateBase64)")
            print("PUBLIC=\(key.publicBase64)")
            print("KID=\(key.keyID)")
        }
    }
}
