import Foundation
import PlatformInventory
import PlatformTesting
import Testing

/// What the generated ingress routes, read from its text (the real nginx in front of running
/// daemons is IngressTests).
@Suite struct IngressRenderingTests {
    let inventory: Inventory
    let local: InventoryEnvironment
    let text: String

    init() throws {
        inventory = try Inventory.load(from: TestEnvironment.root.appendingPathComponent("daemons/inventory.yml"))
        local = try #require(inventory.environment("local"))
        text = NginxConfiguration(inventory: inventory, environment: local).render()
    }

    @Test func onlyPublicListenersAreUpstreams() {
        for service in inventory.services {
            #expect(!text.contains(":\(service.ports.management)"), "\(service.name)'s management listener is routed")
            let routed = text.contains("upstream \(service.unitName) {")
            #expect(routed == (service.exposure == .public), "\(service.name) routed: \(routed)")
        }
        #expect(!text.contains("kisum-core"))
    }

    @Test func everyTLSServerRefusesInternalRoutesAndSendsTheSecurityHeaders() {
        let servers = text.components(separatedBy: "server {\n").dropFirst().filter { $0.contains("ssl_certificate ") }
        #expect(servers.count == 1 + 1 + 7)  // app, admin (shared with the Admin backend), auth and six business hosts
        for server in servers {
            for required in ["location /internal/ { return 404; }", "Strict-Transport-Security", #"X-Content-Type-Options "nosniff""#,
                             #"X-Frame-Options "DENY""#, "Referrer-Policy", "Content-Security-Policy"] {
                #expect(server.contains(required), "missing \(required) in \(server.prefix(80))")
            }
        }
    }

    @Test func signInIsRateLimitedAndAIWaitsLonger() throws {
        for path in try #require(inventory.service("auth")).signInPaths {
            let block = try #require(text.components(separatedBy: "location \(path) {").dropFirst().first)
            #expect(block.prefix(200).contains("limit_req zone=kisum_sign_in"), "\(path) is not rate limited")
        }
        let ai = try #require(text.components(separatedBy: "server_name api-ai.kisum.localhost;").dropFirst().first)
        #expect(ai.contains("proxy_read_timeout 180s"))
    }

    @Test func corsAllowsOnlyThisEnvironmentsFrontends() {
        #expect(text.contains("\"https://app.kisum.localhost:8443\" $http_origin;"))
        #expect(text.contains("\"https://admin.kisum.localhost:8443\" $http_origin;"))
        #expect(!text.contains("kisum.io"))
    }
}
