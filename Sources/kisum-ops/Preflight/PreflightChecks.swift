import AdminService
import AsyncHTTPClient
import Foundation
import NIOCore
import PlatformDaemon
import PlatformInventory
import PlatformKit

/// The checks behind `kisum-ops preflight`, each one item of the spec's checklists, read from
/// the inventory, the generated (deployed) files, the daemons' declarations and — when given —
/// the live environment and its backup folder.
struct PreflightChecks {
    let inventory: Inventory
    let environment: InventoryEnvironment
    let root: URL

    /// What a machine cannot decide (listed so that a person does).
    static let manual = [
        "JWT signing keys stored securely (AUTH_KEY_ENCRYPTION_KEY in the secret store, rotation rehearsed)",
        "DNS records created at the provider as daemons/dns lists them, ownership of DNS changes assigned",
        "certificate renewal verified in staging",
        "Market/Touring shared or separate service decision documented",
        "upstream AI provider secrets configured",
    ]

    private func text(_ path: String) -> String? { try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

    private func item(_ title: String, _ problems: [String], passed: String) -> PreflightItem {
        problems.isEmpty ? PreflightItem(title: title, outcome: .pass, reason: passed)
            : PreflightItem(title: title, outcome: .fail, reason: problems.joined(separator: "; "))
    }

    func staticItems() -> [PreflightItem] {
        let stale = (try? inventory.staleFiles(root: root)) ?? []
        let deployed = inventory.services(in: environment)
        let ingressPath = environment.hosting == .processes ? "daemons/ingress/\(environment.name).conf" : "daemons/kubernetes/\(environment.name)/ingress.yaml"
        let ingress = text(ingressPath) ?? ""
        var items = [item("generated deployment assets current", stale.map(\.description), passed: "every file matches daemons/inventory.yml")]

        var tls: [String] = []
        if ingress.isEmpty { tls.append("\(ingressPath) is missing") }
        let hosts = NginxConfiguration(inventory: inventory, environment: environment).hostnames
        for host in hosts where environment.hosting == .kubernetes && !ingress.contains("hosts: [\(host)]") { tls.append("\(host) has no TLS section") }
        if environment.hosting == .processes, ingress.components(separatedBy: "ssl_certificate ").count - 1 < hosts.count - 1 {
            tls.append("a public server block lacks a certificate")
        }
        items.append(item("all public domains use TLS", tls, passed: "\(hosts.count) hostnames, TLS only (HTTP redirects)"))

        var core: [String] = []
        if let service = inventory.service("core"), service.exposure != .internal || service.host != nil { core.append("core has a public host") }
        if ingress.contains("kisum-core") { core.append("\(ingressPath) routes to kisum-core") }
        if Set(inventory.service("core")?.callers ?? []) != ["auth", "admin"] { core.append("core's callers are not exactly auth and admin") }
        items.append(item("Core is internal-only", core, passed: "never routed; only Auth and Admin may call it"))

        var management: [String] = []
        for service in deployed where ingress.contains(":\(service.ports.management)") { management.append("\(service.name)'s management port is routed") }
        items.append(item("management listeners never routed", management, passed: "the ingress reaches public listeners only"))

        let hba = text("daemons/postgres/\(environment.name).pg_hba.conf") ?? ""
        var databases: [String] = []
        if hba.isEmpty { databases.append("no pg_hba.conf generated") }
        for line in hba.split(separator: "\n") where !line.hasPrefix("#") && !line.hasSuffix("reject") && !line.hasSuffix("peer") {
            if line.contains("0.0.0.0/0") || line.contains("::/0") || line.contains(" all ") && line.contains("trust") { databases.append("open rule: \(line)") }
            if environment.hosting != .processes, line.hasPrefix("host ") { databases.append("a rule without TLS: \(line)") }
            if line.contains("trust") || line.contains(" md5") || line.contains("password") && !line.contains("scram") { databases.append("weak method: \(line)") }
        }
        items.append(item("databases private (scram, TLS outside local)", databases, passed: "each role its own database from \(environment.postgres.clients)"))

        let migrations = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources/AuthService/Migrations").path)) ?? []
        let sql = migrations.sorted().compactMap { text("Sources/AuthService/Migrations/\($0)") }.joined(separator: "\n")
        let hashed = sql.contains("token_hash   bytea PRIMARY KEY") || sql.contains("token_hash bytea PRIMARY KEY")
        items.append(item("refresh tokens stored hashed", hashed && !sql.contains("refresh_tokens ADD COLUMN token ") ? [] : ["refresh_tokens is not keyed by a hash"],
                           passed: "refresh_tokens keeps token_hash only"))

        var limits: [String] = []
        let template = text("daemons/env/auth.env.template") ?? ""
        for key in ["LOGIN_RATE_LIMIT_PER_IP", "LOGIN_RATE_LIMIT_PER_EMAIL"] where !template.contains("#\(key)=") { limits.append("\(key) has no default") }
        if !(ingress.contains("limit_req zone=kisum_sign_in") || ingress.contains("limit-rps")) { limits.append("no sign-in limit at the edge") }
        items.append(item("login rate limits enabled", limits, passed: "Auth per address and per email, and the ingress per address"))

        var admin: [String] = []
        if let descriptor = DaemonCatalog.find("admin")?.descriptor, descriptor.access != .required { admin.append("Admin does not require the access layer") }
        items.append(item("admin routes protected", admin, passed: "every Admin route needs a platform administrator's session"))

        var serviceAuth: [String] = []
        for app in DaemonCatalog.all where app.descriptor.servesInternalRoutes {
            let keys = app.descriptor.configSpec.keys.map(\.name)
            if !keys.contains("INTERNAL_TRUSTED_KEYS") { serviceAuth.append("\(app.descriptor.name) serves internal routes without trusted keys") }
            if inventory.service(app.descriptor.name)?.callers.isEmpty ?? true { serviceAuth.append("\(app.descriptor.name) has no callers in the matrix") }
        }
        items.append(item("service-to-service auth enabled", serviceAuth, passed: "signed service credentials on every internal route; the matrix in INVENTORY.md"))

        var alerts: [String] = []
        let rules = text("daemons/alerts/kisum.rules.yml") ?? ""
        if rules.isEmpty { alerts.append("no alert rules") }
        if let unknown = try? inventory.unknownAlerts(rulesYAML: rules), !unknown.isEmpty { alerts.append("missing rules: \(unknown.joined(separator: ", "))") }
        if text("daemons/alerts/alertmanager.yml") == nil { alerts.append("no Alertmanager routing") }
        for name in ["KisumCertificateExpiring", "KisumBackupStale", "KisumErrorBudgetFastBurn"] where !rules.contains("alert: \(name)") { alerts.append("no \(name)") }
        if environment.hosting == .kubernetes, !(text("daemons/prometheus/\(environment.name).yml") ?? "").contains("job_name: kisum-tls") {
            alerts.append("certificates are not probed")
        }
        items.append(item("alerts configured (expiry included)", alerts, passed: "rules, routing (page/ticket) and certificate probes"))

        items.append(item("access logs enabled", ingress.contains("access_log") || environment.hosting == .kubernetes ? [] : ["the ingress writes no access log"],
                          passed: "JSON access lines with the request id at the ingress and in every daemon"))

        var cache: [String] = []
        let redisConf = text("daemons/redis/\(environment.name).conf") ?? "", redisUsers = text("daemons/redis/\(environment.name).acl") ?? ""
        for setting in ["protected-mode yes", "maxmemory-policy allkeys-lru", "appendonly no", "maxmemory "] where !redisConf.contains(setting) {
            cache.append("no \(setting)")
        }
        if !redisUsers.contains("user default off") { cache.append("the default user is on") }
        items.append(item("Redis private, memory policy set, no persistence", cache, passed: "a per-service ACL user each, default user off, cache only"))

        var separated: [String] = []
        for other in inventory.environments where other.name != environment.name {
            if other.zone == environment.zone { separated.append("shares its zone with \(other.name)") }
            if let namespace = environment.namespace, namespace == other.namespace { separated.append("shares namespace \(namespace) with \(other.name)") }
        }
        items.append(item("environments fully separated", separated, passed: "own zone \(environment.zone)\(environment.namespace.map { ", own namespace \($0)" } ?? "")"))
        return items
    }
}
