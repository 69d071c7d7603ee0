import ArgumentParser
import Foundation
import HTTPTypes
import NIOCore
import PlatformKit
import RunbookEngine

/// `kisum-ops signin`: signs the operator in through Auth and keeps the access token in a
/// user-only file for the runbooks (kisum-ops runbook, the console).
struct SigninCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signin", abstract: "Sign in as yourself (Auth); the access token goes to a file only you can read.")

    @Option(help: "Auth's public URL.") var authURL = "http://127.0.0.1:8101"
    @Option(help: "Your email.") var email: String
    @Option(help: "A file holding your password (otherwise you are asked).") var passwordFile: String?
    @Option(help: "Where the token is kept.") var tokenFile = OperatorToken.defaultFile

    func run() async throws {
        let password: String
        if let passwordFile {
            password = try String(contentsOfFile: passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            guard let typed = getpass("Password for \(email): ").map({ String(cString: $0) }), !typed.isEmpty else {
                throw ValidationError("no password given")
            }
            password = typed
        }
        let reply = try await ServiceHTTPClient(callee: "auth", baseURL: authURL, timeout: .seconds(15))
            .send(.post, "/auth/login", json: ["email": email, "password": password])
        struct Tokens: Decodable { let access_token: String }
        guard reply.status == 200, let token = try? reply.decode(Tokens.self).access_token else {
            throw ValidationError("sign-in refused (\(reply.status)): \(String(decoding: reply.body.readableBytesView, as: UTF8.self).prefix(300))")
        }
        try OperatorToken.write(token, to: tokenFile)
        print("signed in as \(email); token in \(tokenFile) (mode 0600)")
    }
}
