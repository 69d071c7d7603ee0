import ArgumentParser
import PlatformKit
import Foundation
import PlatformSmoke
import ServiceAuth

/// `kisum-ops smoke`: the post-deployment smoke test against a running platform. Defaults fit
/// `./kisum up`; for another environment pass the URLs and credential files.
struct SmokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smoke",
        abstract: "Run the smoke test (Auth/Core ready, login, /auth/me, /auth/me/access, Core entitlements, admin change → access).",
        discussion: "The last step removes (or adds) --addon of --company through Admin and restores it: use a test organization outside local.")

    @Option(help: "Auth's public URL.") var auth = "http://127.0.0.1:8101"
    @Option(help: "Auth's management URL.") var authManagement = "http://127.0.0.1:9101"
    @Option(help: "Core's management URL.") var core = "http://127.0.0.1:9102"
    @Option(help: "Admin's public URL.") var admin = "http://127.0.0.1:8103"
    @Option(help: "Basic's public URL (the business-backend checks; empty to skip them).") var backend = "http://127.0.0.1:8110"
    @Option(help: "Platform administrator's email.") var adminEmail = "admin@kisum.local"
    @Option(help: "File with the administrator's password.") var adminPasswordFile = ".kisum/secrets/platform-admin.password"
    @Option(help: "A member of --company.") var user = "acme@demo.kisum.local"
    @Option(help: "File with that user's password.") var userPasswordFile = ".kisum/secrets/demo-users.password"
    @Option(help: "The organization (slug).") var company = "acme"
    @Option(help: "The add-on to toggle.") var addon = "finance_addon"
    @Option(help: "The module that add-on brings.") var module = "finance"
    @Option(help: "File with the Admin service key (reads Core).") var keyFile = ".kisum/secrets/admin.service-key"
    @Option(help: "Longest time access may take to follow the change, e.g. 1s.") var within = "1s"

    func run() async throws {
        func secret(_ path: String) throws -> String {
            do { return try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) } catch {
                throw ValidationError("cannot read \(path)")
            }
        }
        guard let key = ServiceKey(base64: try secret(keyFile)) else { throw ValidationError("\(keyFile) does not hold a service key") }
        guard let limit = Duration(configText: within) else { throw ValidationError("--within is a duration such as 1s") }
        let target = SmokeTarget(authURL: auth, authManagementURL: authManagement, coreManagementURL: core, adminURL: admin,
                                 adminEmail: adminEmail, adminPassword: try secret(adminPasswordFile), userEmail: user,
                                 userPassword: try secret(userPasswordFile), company: company, addon: addon, module: module, serviceKey: key,
                                 backendURL: backend.isEmpty ? nil : backend)
        let results = await SmokeRun(target: target, propagationLimit: limit).run()
        for result in results { print(result.line) }
        if results.contains(where: { $0.outcome == .failed }) { throw ExitCode(1) }
    }
}
