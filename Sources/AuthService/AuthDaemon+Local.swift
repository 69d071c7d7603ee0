import Crypto
import Foundation
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import PlatformDaemon
import PlatformKit
import ServiceAuth

extension AuthDaemon: LocalDevelopmentHooks {
    public static func localEnvironment(topology: LocalTopology) -> [String: String] {
        var environment: [String: String] = [:]
        if let core = topology.managementURLs["core"] { environment["CORE_INTERNAL_URL"] = core }
        if let own = topology.publicURLs["auth"] { environment["JWT_ISSUER"] = own }
        return environment
    }

    public static func localSecrets() -> [String: @Sendable () -> String] {
        ["AUTH_KEY_ENCRYPTION_KEY": { KeyEncryption.generateBase64() },
         "AUTH_CACHE_INTEGRITY_KEY": { KeyEncryption.generateBase64() }]
    }

    /// Demo identities, created through Auth's admin routes as the Admin backend would: a
    /// platform admin and an on-call operator, one owner per demo company (Acme: Basic and
    /// Finance; Beacon: add-ons only; Cobalt: Basic canceled; Dormant: suspended), and Acme
    /// staff holding a delegation from Acme's owner. Passwords are generated into the state
    /// folder and listed in `credentials.json`.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {
        guard let base = topology.managementURLs[descriptor.name] else { return }
        let secrets = state.appendingPathComponent("secrets")
        let key = ServiceKey(base64: try String(contentsOf: secrets.appendingPathComponent("admin.service-key"), encoding: .utf8))
        guard let key else { throw LocalSeedError("secrets/admin.service-key is not a key") }
        let client = ServiceHTTPClient(callee: descriptor.name, baseURL: base,
                                       credentials: await ServiceCredentialSigner(service: "admin", key: key))
        func post(_ path: String, _ body: some Encodable & Sendable) async throws -> String? {
            let reply = try await client.send(.post, path, json: body)
            if reply.status == 409 { return nil }  // seeded before
            guard (200..<300).contains(reply.status) else { throw LocalSeedError("auth answered \(reply.status) to \(path): \(String(buffer: reply.body))") }
            return (try? JSONSerialization.jsonObject(with: Data(buffer: reply.body)) as? [String: Any])?["id"] as? String
        }
        let adminPassword = try secret(secrets.appendingPathComponent("platform-admin.password"))
        let demoPassword = try secret(secrets.appendingPathComponent("demo-users.password"))
        _ = try await post("/internal/v1/users", DemoUser(email: "admin@kisum.local", password: adminPassword, platform_roles: ["platform_admin"]))
        _ = try await post("/internal/v1/users", DemoUser(email: "oncall@kisum.local", password: demoPassword, platform_roles: ["platform_operator"]))

        let companies: [(UUID, String, String, String, [String])] = [
            (DemoCompanies.acme, "acme", "Acme Events", "approved", ["core_app", "finance", "market"]),
            (DemoCompanies.beacon, "beacon", "Beacon Touring", "approved", ["market", "ai", "core_app"]),
            (DemoCompanies.cobalt, "cobalt", "Cobalt Venues", "approved", ["core_app", "touring", "venue"]),
            (DemoCompanies.dormant, "dormant", "Dormant Ltd", "suspended", ["core_app"]),
        ]
        for (id, slug, name, status, modules) in companies {
            _ = try await post("/internal/v1/companies", DemoCompany(id: id, slug: slug, name: name, status: status))
            if let user = try await post("/internal/v1/users", DemoUser(email: "\(slug)@demo.kisum.local", password: demoPassword, platform_roles: [])) {
                _ = try await post("/internal/v1/memberships", DemoMembership(user_id: user, company_id: id.uuidString, roles: ["owner"], modules: modules))
            } else {
                try await grantModules(client, to: "\(slug)@demo.kisum.local", in: slug, modules)
            }
        }
        // Acme staff: a viewer and bookkeeper (a custom role) who holds finance.write through a
        // delegation from the owner.
        _ = try await post("/internal/v1/companies/\(DemoCompanies.acme)/roles",
                           DemoRole(key: "bookkeeper", name: "Bookkeeper", permissions: ["finance.read", "finance.export"]))
        if let staff = try await post("/internal/v1/users", DemoUser(email: "staff@demo.kisum.local", password: demoPassword, platform_roles: [])) {
            _ = try await post("/internal/v1/memberships", DemoMembership(user_id: staff, company_id: DemoCompanies.acme.uuidString,
                                                                         roles: ["viewer", "bookkeeper"], modules: ["core_app", "finance"]))
        }
        try await delegateOnce(client, from: "acme@demo.kisum.local", to: "staff@demo.kisum.local", in: "acme")
        try recordCredentials(state: state, admin: secrets.appendingPathComponent("platform-admin.password").path,
                              demo: secrets.appendingPathComponent("demo-users.password").path,
                              users: companies.map { "\($0.1)@demo.kisum.local" } + ["staff@demo.kisum.local", "oncall@kisum.local"])
        if FileManager.default.fileExists(atPath: secrets.appendingPathComponent(".printed").path) == false {
            print("  platform admin: admin@kisum.local / \(adminPassword)   (stored in \(secrets.path)/platform-admin.password)")
            _ = FileManager.default.createFile(atPath: secrets.appendingPathComponent(".printed").path, contents: Data())
        }
    }

    /// Creates the demo delegation unless the receiving membership already holds one.
    /// The membership id of `email` in the company `company` (a slug), if there is one.
    static func membership(_ client: ServiceHTTPClient, _ email: String, in company: String) async throws -> String? {
        struct Page: Decodable { struct User: Decodable { let id: UUID }; let users: [User] }
        struct User: Decodable { let memberships: [MembershipSummary]? }
        let query = email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? email
        guard let id = try await client.send(.get, "/internal/v1/users?email=\(query)").decode(Page.self).users.first?.id else { return nil }
        let user = try await client.send(.get, "/internal/v1/users/\(id)").decode(User.self)
        return user.memberships?.first { $0.companySlug == company }?.membershipID.lowercased
    }

    /// A demo owner seeded by an older build gets the module grants this one gives (a new
    /// backend's module): the grants converge instead of staying as first seeded.
    static func grantModules(_ client: ServiceHTTPClient, to email: String, in company: String, _ modules: [String]) async throws {
        guard let membership = try await membership(client, email, in: company) else { return }
        let reply = try await client.send(.put, "/internal/v1/memberships/\(membership)/modules",
                                          json: DemoGrants(modules: modules.sorted(), reason: "demo data"))
        guard reply.status == 200 else { throw LocalSeedError("auth answered \(reply.status) to module grants: \(String(buffer: reply.body))") }
    }

    static func delegateOnce(_ client: ServiceHTTPClient, from: String, to: String, in company: String) async throws {
        guard let giver = try await membership(client, from, in: company), let receiver = try await membership(client, to, in: company) else { return }
        struct Detail: Decodable { let delegations_received: [DelegationView] }
        guard try await client.send(.get, "/internal/v1/memberships/\(receiver)").decode(Detail.self).delegations_received.isEmpty else { return }
        let reply = try await client.send(.post, "/internal/v1/delegations", json: DemoDelegation(
            from_membership_id: giver, to_membership_id: receiver, permissions: ["finance.write"],
            expires_at: Date().addingTimeInterval(90 * 86_400), reason: "demo: covers invoicing"))
        guard reply.status == 201 else { throw LocalSeedError("auth answered \(reply.status) to a delegation: \(String(buffer: reply.body))") }
    }

    /// The secret in `file`, generated (24 random bytes, base64url) the first time.
    static func secret(_ file: URL) throws -> String {
        if let existing = try? String(contentsOf: file, encoding: .utf8), !existing.isEmpty { return existing }
        let value = OpaqueToken.make(prefix: "", bits: 192)
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(value.utf8), attributes: [.posixPermissions: 0o600])
        return value
    }

    static func recordCredentials(state: URL, admin: String, demo: String, users: [String]) throws {
        let file = state.appendingPathComponent("credentials.json")
        var object = (try? JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]) ?? [:]
        object["platform_admin"] = ["email": "admin@kisum.local", "password_file": admin]
        object["demo_users"] = ["emails": users, "password_file": demo]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        _ = FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600])
    }
}

struct DemoUser: Encodable, Sendable {
    let email: String
    let password: String
    let platform_roles: [String]
}

struct DemoCompany: Encodable, Sendable {
    let id: UUID
    let slug: String
    let name: String
    let status: String
}

struct DemoGrants: Encodable, Sendable {
    let modules: [String]
    let reason: String
}

struct DemoRole: Encodable, Sendable {
    let key: String
    let name: String
    let permissions: [String]
}

struct DemoDelegation: Encodable, Sendable {
    let from_membership_id: String
    let to_membership_id: String
    let permissions: [String]
    let expires_at: Date
    let reason: String
}

struct DemoMembership: Encodable, Sendable {
    let user_id: String
    let company_id: String
    let roles: [String]
    let modules: [String]
}

struct LocalSeedError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
