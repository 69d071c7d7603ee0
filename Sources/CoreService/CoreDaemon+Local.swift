import Foundation
import HTTPTypes
import NIOCore
import PlatformDaemon
import PlatformKit
import ServiceAuth

extension CoreDaemon: LocalDevelopmentHooks {
    public static func localEnvironment(topology: LocalTopology) -> [String: String] {
        topology.managementURLs["auth"].map { ["AUTH_INTERNAL_URL": $0] } ?? [:]
    }

    /// The demo catalog (a Basic package with Core App, add-ons for the business modules) and
    /// subscriptions for the demo companies, written through Core's own API as Admin would.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {
        guard let base = topology.managementURLs[descriptor.name] else { return }
        let keyText = try String(contentsOf: state.appendingPathComponent("secrets/admin.service-key"), encoding: .utf8)
        guard let key = ServiceKey(base64: keyText) else { throw LocalSeedError("secrets/admin.service-key is not a key") }
        let client = ServiceHTTPClient(callee: descriptor.name, baseURL: base,
                                       credentials: await ServiceCredentialSigner(service: "admin", key: key))
        func write(_ method: HTTPRequest.Method, _ path: String, _ body: [String: any Encodable & Sendable], key: String) async throws {
            let reply = try await client.send(method, path, json: AnyJSON(body), headers: [("idempotency-key", "seed:\(key)")])
            // 409 already_exists: seeded before.
            guard reply.status == 200 || reply.status == 409 else {
                throw LocalSeedError("core answered \(reply.status) to \(path): \(String(buffer: reply.body))")
            }
        }
        let modules = ["core_app": "Core App", "finance": "Finance", "market": "Market", "touring": "Touring",
                       "venue": "Venue", "ai": "AI"]
        for (moduleKey, name) in modules.sorted(by: { $0.key < $1.key }) {
            try await write(.post, "/internal/v1/catalog/modules", ["key": moduleKey, "name": name], key: "module-\(moduleKey)")
        }
        try await write(.post, "/internal/v1/catalog/packages", ["key": "basic", "name": "Basic", "modules": ["core_app"]], key: "package-basic")
        for module in ["finance", "market", "touring", "venue", "ai"] {
            try await write(.post, "/internal/v1/catalog/addons", ["key": "\(module)_addon", "name": "\(modules[module]!) add-on", "module": module],
                            key: "addon-\(module)")
        }
        let start = "2026-01-01T00:00:00Z"
        func subscribe(_ company: UUID, status: String) async throws {
            try await write(.put, "/internal/v1/companies/\(company)/subscription",
                            ["package_key": "basic", "status": status, "period_start": start], key: "sub-\(company)-\(status)")
        }
        func addon(_ company: UUID, _ addon: String) async throws {
            try await write(.put, "/internal/v1/companies/\(company)/addons/\(addon)",
                            ["status": "active", "period_start": start], key: "addon-\(company)-\(addon)")
        }
        try await subscribe(DemoCompanies.acme, status: "active")
        try await addon(DemoCompanies.acme, "finance_addon")
        try await addon(DemoCompanies.acme, "market_addon")
        try await addon(DemoCompanies.beacon, "market_addon")
        try await addon(DemoCompanies.beacon, "ai_addon")
        try await subscribe(DemoCompanies.cobalt, status: "canceled")
        try await addon(DemoCompanies.cobalt, "touring_addon")
        try await addon(DemoCompanies.cobalt, "venue_addon")
        try await subscribe(DemoCompanies.dormant, status: "active")
    }
}

struct LocalSeedError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A JSON object of mixed values, for seed requests.
struct AnyJSON: Encodable, Sendable {
    let values: [String: any Encodable & Sendable]
    init(_ values: [String: any Encodable & Sendable]) { self.values = values }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in values { try container.encode(value, forKey: Key(stringValue: key)) }
    }

    struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}
