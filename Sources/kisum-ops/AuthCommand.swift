import ArgumentParser
import AuthService
import NIOCore
import Foundation
import HTTPTypes
import PlatformKit
import ServiceAuth

/// `kisum-ops auth …`: operations on Auth through its internal routes, signed as Admin.
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "Operate Auth: signing keys.", subcommands: [RotateKey.self, Keys.self, HashPassword.self, MeasurePropagation.self])

    struct Target: ParsableArguments {
        @Option(help: "Auth's management URL.") var url: String = "http://127.0.0.1:9101"
        @Option(help: "File with the Admin service key (base64 Ed25519).") var keyFile: String = ".kisum/secrets/admin.service-key"

        @Option(help: "How long to wait for Auth (a rotation generates an RSA key: seconds on a busy machine).")
        var timeout: Int = 30

        func client() async throws -> ServiceHTTPClient {
            let text = try String(contentsOfFile: keyFile, encoding: .utf8)
            guard let key = ServiceKey(base64: text) else { throw ValidationError("\(keyFile) does not hold a service key") }
            return ServiceHTTPClient(callee: "auth", baseURL: url, timeout: .seconds(max(1, timeout)),
                                     credentials: await ServiceCredentialSigner(service: "admin", key: key))
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

    struct HashPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash-password",
            abstract: "Print an Argon2id hash of the password on standard input (seeding), or time hashes (--time).")

        @Option(help: "Argon2id memory cost in KiB.") var memoryKib: UInt32 = 19_456
        @Option(help: "Argon2id iterations.") var iterations: UInt32 = 2
        @Option(help: "With --time: how many hashes to time.") var count = 20
        @Flag(help: "Time one hash at a time and print the median and p90 in milliseconds.") var time = false

        func run() async throws {
            let hasher = PasswordHasher(parameters: .init(memoryKiB: memoryKib, iterations: iterations), threads: 1)
            guard time else {
                guard let password = readLine(strippingNewline: true), !password.isEmpty else { throw ValidationError("no password on stdin") }
                print(try await hasher.hash(password))
                return
            }
            var samples: [Double] = []
            for _ in 0..<max(count, 1) {
                let start = ContinuousClock.now
                _ = try await hasher.hash(UUID().uuidString)
                samples.append((ContinuousClock.now - start).secondsValue * 1000)
            }
            samples.sort()
            print(String(format: "argon2id m=%u t=%u p=1: median %.1f ms, p90 %.1f ms (%d hashes)", memoryKib, iterations,
                         samples[samples.count / 2], samples[samples.count * 9 / 10], samples.count))
        }
    }
}
