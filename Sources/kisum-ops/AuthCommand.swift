import ArgumentParser
import Foundation
import HTTPTypes
import PlatformKit
import ServiceAuth

/// `kisum-ops auth …`: operations on Auth through its internal routes, signed as Admin.
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "Operate Auth: signing keys.", subcommands: [RotateKey.self, Keys.self])

    struct Target: ParsableArguments {
        @Option(help: "Auth's management URL.") var url: String = "http://127.0.0.1:9101"
        @Option(help: "File with the Admin service key (base64 Ed25519).") var keyFile: String = ".kisum/secrets/admin.service-key"

        func client() async throws -> ServiceHTTPClient {
            let text = try String(contentsOfFile: keyFile, encoding: .utf8)
            guard let key = ServiceKey(base64: text) else { throw ValidationError("\(keyFile) does not hold a service key") }
            return ServiceHTTPClient(callee: "auth", baseURL: url, credentials: await ServiceCredentialSigner(service: "admin", key: key))
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Start a signing-key rotation (published first, signs after the publish delay); --emergency retires the old key at once.")

        @OptionGroup var target: Target
        @Flag(help: "Retire every current key immediately (tokens they signed stop verifying).") var emergency = false

        func run() async throws {
            let reply = try await target.client().send(.post, "/internal/v1/keys/rotate", json: ["emergency": emergency])
            print(String(buffer: reply.body))
            guard reply.status == 200 else { throw ExitCode(1) }
        }
    }

    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "keys", abstract: "List signing keys and their states.")
        @OptionGroup var target: Target

        func run() async throws {
            let reply = try await target.client().send(.get, "/internal/v1/keys")
            print(String(buffer: reply.body))
            guard reply.status == 200 else { throw ExitCode(1) }
        }
    }
}

import NIOCore
