import ArgumentParser
import Foundation
import ServiceAuth

/// `kisum-ops keys …`: key material generated at setup, never committed.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Generate key material.", subcommands: [ServiceKeyCommand.self, ServiceTokenCommand.self])

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

    struct ServiceTokenCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "service-token",
            abstract: "Print a service credential (for benchmarks and manual calls to internal routes).")

        @Option(help: "The calling service the key belongs to.") var service: String
        @Option(help: "The service to call.") var callee: String
        @Option(help: "File with the caller's base64 Ed25519 private key.") var keyFile: String
        @Option(help: "Lifetime in seconds (at most 60, as verifiers require).") var lifetime: Int = 60

        func run() async throws {
            let text = try String(contentsOfFile: keyFile, encoding: .utf8)
            guard let key = ServiceKey(base64: text) else { throw ValidationError("\(keyFile) does not hold a base64 Ed25519 key") }
            let signer = await ServiceCredentialSigner(service: service, key: key, lifetime: TimeInterval(min(max(lifetime, 1), 60)))
            print(try await signer.token(for: callee))
        }
    }
}
