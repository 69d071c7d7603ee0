import Foundation
import PlatformInventory
import Testing

/// A wrong inventory is refused with a message naming the field, never half-used.
@Suite struct InventoryValidationTests {
    static let valid = """
    environments:
      local: { zone: kisum.localhost, hosting: processes, upstream_host: 127.0.0.1, ingress_address: 127.0.0.1, tls: local-ca, dns_ttl: 60, redis_maxmemory: 64mb,
               postgres: { max_connections: 100, reserved: 10, clients: 127.0.0.1/32, operators: 127.0.0.1/32 } }
      production: { zone: kisum.io, hosting: kubernetes, namespace: kisum-production, ingress_address: 203.0.113.10, tls: acme, dns_ttl: 300, redis_maxmemory: 1gb,
                    postgres: { max_connections: 200, reserved: 20, clients: 10.0.0.0/8, operators: 10.255.0.0/24 } }
    frontends:
      app: { host: app, summary: Main frontend }
    services:
      core:
        summary: Core
        owner: team-platform
        exposure: internal
        ports: { management: 9102 }
        database: kisum_core
        db_pool: 10
        redis: none
        secrets: [CORE_DB_URL]
        callers: [auth]
        restore: { priority: 1, rpo: 5m, rto: 1h }
        replicas: { min: 2, max: 4 }
        resources: { cpu: 250m, memory: 256Mi }
        alerts: []
      auth:
        summary: Auth
        owner: team-identity
        exposure: public
        host: auth
        paths: ["/"]
        ports: { public: 8101, management: 9101 }
        database: kisum_auth
        db_pool: 10
        redis: optional
        redis_keys: ["access:*"]
        secrets: [AUTH_DB_URL]
        callers: []
        timeout: 30s
        body_limit: 64k
        restore: { priority: 1, rpo: 5m, rto: 1h }
        replicas: { min: 2, max: 8 }
        resources: { cpu: 500m, memory: 256Mi }
        alerts: []
    management_readers: [monitoring]
    """

    @Test func theValidInventoryLoads() throws {
        let inventory = try Inventory.parse(Self.valid)
        #expect(inventory.services.map(\.name) == ["core", "auth"])
        #expect(inventory.environments.map(\.name) == ["local", "production"])
        #expect(inventory.allowedCallers == ["core": ["auth"], "auth": []])
    }

    @Test(arguments: [
        ("callers: [auth]", "callers: [nobody]", "caller nobody is not a service"),
        ("ports: { management: 9102 }", "ports: { management: 9101 }", "port 9101 is also core's"),
        ("exposure: internal", "exposure: internal\n    host: core", "an internal service has no host"),
        ("host: auth\n", "host: app\n", "host app is also app's"),
        ("zone: kisum.localhost", "zone: staging.kisum.io", "lies inside production's zone"),
        ("rpo: 5m, rto: 1h }\n    replicas: { min: 2, max: 8 }", "rpo: soon, rto: 1h }\n    replicas: { min: 2, max: 8 }", "soon is not a duration"),
        ("body_limit: 64k", "body_limit: 64 MB", "is not a size"),
        ("replicas: { min: 2, max: 8 }", "replicas: { min: 3, max: 2 }", "1 ≤ min ≤ max"),
        ("secrets: [AUTH_DB_URL]", "secrets: [auth-db]", "is not a variable name"),
        ("namespace: kisum-production, ", "", "needs a namespace"),
        ("management_readers: [monitoring]", "management_readers: [mallory]", "mallory is neither a service"),
        ("hosting: processes", "hosting: lambda", "environments.local: hosting"),
        ("    summary: Core\n", "", "missing summary"),
        ("paths: [\"/\"]", "paths: [\"/a{b}\"]", "is not a plain absolute path"),
        ("database: kisum_auth", "database: \"kisum_auth,all\"", "database kisum_auth,all is not of the form"),
        ("clients: 10.0.0.0/8", "clients: 0.0.0.0/0", "never everyone"),
        // Auth at 8 instances of (10 + 2) and Core at 4 of (10 + 2), plus two migrations: 146 of 180.
        ("max_connections: 200, reserved: 20", "max_connections: 160, reserved: 20", "need 146 PostgreSQL connections"),
    ])
    func aWrongInventoryIsRefusedNamingTheProblem(original: String, replacement: String, expected: String) {
        let text = Self.valid.replacingFirst(original, with: replacement)
        #expect(text != Self.valid, "the case does not apply: \(original)")
        #expect {
            _ = try Inventory.parse(text)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func notYAMLIsAClearError() {
        #expect(throws: InventoryError.self) { try Inventory.parse("environments: [unclosed") }
        #expect(throws: InventoryError.self) { try Inventory.parse("- a list") }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
