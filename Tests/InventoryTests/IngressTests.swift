import BasicService
import ConsoleCollectors
import ConsoleModel
import Foundation
import PlatformDaemon
import PlatformInventory
import PlatformKit
import PlatformTesting
import ServiceWorlds
import Testing

/// The generated ingress, in a real nginx with certificates from the local CA script, in front
/// of running daemons (Core, Auth, Basic): routing per host, TLS, redirect, security headers,
/// CORS, body limits, the sign-in rate limit, internal routes and Core unreachable, and the
/// request id passed through to the daemon.
@Suite(.timeLimit(.minutes(3))) struct IngressTests {
    /// A real nginx on loopback serving `config`, stopped by `stop()`.
    struct Ingress {
        let prefix: URL
        let process: ChildProcess
        let http: Int
        let https: Int
        let ca: String

        /// `curl` against `host` (resolved to loopback): status, headers (lower-cased names) and body.
        func curl(_ host: String, _ path: String, scheme: String = "https", _ extra: [String] = []) async throws -> (status: Int, headers: [String: String], body: String) {
            let port = scheme == "https" ? https : http
            let headerFile = prefix.appendingPathComponent("headers-\(UUID().uuidString)").path
            let result = try await ChildProcess.run("/usr/bin/curl", [
                "-s", "--max-time", "10", "--cacert", ca, "--resolve", "\(host):\(port):127.0.0.1",
                "-D", headerFile, "-w", "\n%{http_code}", "\(scheme)://\(host):\(port)\(path)",
            ] + extra)
            var lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
            let status = Int(lines.popLast() ?? "") ?? 0
            var headers: [String: String] = [:]
            for line in ((try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? "").split(separator: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            return (result.status == 0 ? status : -Int(result.status), headers, lines.joined(separator: "\n"))
        }

        func stop() async {
            process.signal(SIGQUIT)
            _ = await process.exitStatus()
        }
    }

    static func start(upstreams: [String: [String]]) async throws -> Ingress {
        let inventory = try Inventory.load(from: TestEnvironment.root.appendingPathComponent("daemons/inventory.yml"))
        let local = try #require(inventory.environment("local"))
        let prefix = TestEnvironment.scratch.appendingPathComponent("ingress-\(UUID().uuidString)")
        let conf = prefix.appendingPathComponent("conf")
        for folder in ["conf", "logs", "html/app", "html/admin-frontend"] {
            try FileManager.default.createDirectory(at: prefix.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "app".write(to: prefix.appendingPathComponent("html/app/index.html"), atomically: true, encoding: .utf8)
        let tls = try await ChildProcess.run("/bin/bash", [TestEnvironment.root.appendingPathComponent("daemons/tls/make-local-ca").path,
                                                            conf.appendingPathComponent("tls").path, local.zone])
        #expect(tls.status == 0, "\(tls.output)")
        var config = NginxConfiguration(inventory: inventory, environment: local)
        let http = TestEnvironment.freePort(), https = TestEnvironment.freePort()
        config.httpListen = "127.0.0.1:\(http)"
        config.httpsListen = "127.0.0.1:\(https) ssl"
        for service in inventory.services where config.upstreams[service.name] != nil {
            // Nothing listens on a port of the blackhole range: those hosts answer 502.
            config.upstreams[service.name] = upstreams[service.name] ?? ["127.0.0.1:9"]
        }
        try config.render().write(to: conf.appendingPathComponent("kisum.conf"), atomically: true, encoding: .utf8)
        try NginxConfiguration.main(include: "kisum.conf", foreground: true).write(to: conf.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        let check = try await ChildProcess.run("/usr/sbin/nginx", ["-t", "-p", prefix.path + "/", "-c", "conf/nginx.conf", "-e", "logs/error.log"])
        #expect(check.status == 0, "nginx -t: \(check.output)")
        let process = try ChildProcess.spawn("/usr/sbin/nginx", ["-p", prefix.path + "/", "-c", "conf/nginx.conf", "-e", "logs/error.log"])
        // Recorded so ./kisum test can reap it even if this test process dies.
        let pids = TestEnvironment.scratch.appendingPathComponent("pids")
        try? FileManager.default.createDirectory(at: pids, withIntermediateDirectories: true)
        try? String(process.pid).write(to: pids.appendingPathComponent("nginx-\(https).pid"), atomically: true, encoding: .utf8)
        try await waitForPort(https, open: true)
        return Ingress(prefix: prefix, process: process, http: http, https: https, ca: conf.appendingPathComponent("tls/ca.crt").path)
    }

    @Test func theIngressRoutesPublicHostsOnlyWithTheSpecsHeadersAndLimits() async throws {
        try await BackendWorld.with(BasicDaemon.self) { world in
            let ingress = try await Self.start(upstreams: [
                "auth": ["127.0.0.1:\(try require(world.auth.daemon.publicPort))"], "basic": ["127.0.0.1:\(try require(world.backend.publicPort))"],
            ])
            do {
                try await Self.exercise(ingress, world)
            } catch {
                await ingress.stop()
                throw error
            }
            await ingress.stop()
        }
    }

    static func exercise(_ ingress: Ingress, _ world: BackendWorld) async throws {
        // The console reads the certificate each public host serves (SNI) and its expiry; a
        // port where nothing listens is named, not waited on.
        let certificates = await CertificateCollector().checkAll([
            Target(service: "auth", managementURL: "http://127.0.0.1:1", publicURL: "https://auth.kisum.localhost:\(ingress.https)"),
            Target(service: "basic", managementURL: "http://127.0.0.1:1", publicURL: "https://api-basic.kisum.localhost:\(ingress.https)/"),
            Target(service: "nowhere", managementURL: "http://127.0.0.1:1", publicURL: "https://nowhere.kisum.localhost:\(TestEnvironment.freePort())"),
        ])
        let now = Date().timeIntervalSince1970
        #expect(certificates.map(\.host) == ["auth.kisum.localhost", "api-basic.kisum.localhost", "nowhere.kisum.localhost"])
        for check in certificates.prefix(2) {
            #expect(check.problem == nil && check.level(now: now) == .fine, "\(check)")
            #expect((check.daysLeft(now: now) ?? 0) > 30 && (check.daysLeft(now: now) ?? 0) < 900, "\(check)")
        }
        #expect(certificates.last?.notAfter == nil && certificates.last?.problem?.contains("connect") == true, "\(String(describing: certificates.last))")

        // Routing per host, through TLS from the local CA: Auth's JWKS, Basic's data with a real token.
        let jwks = try await ingress.curl("auth.kisum.localhost", "/.well-known/jwks.json", ["-H", "x-request-id: ingress-test-7f3a"])
        #expect(jwks.status == 200 && jwks.body.contains("\"keys\""), "\(jwks)")
        for header in ["strict-transport-security", "x-content-type-options", "x-frame-options", "referrer-policy", "content-security-policy"] {
            #expect(jwks.headers[header] != nil, "missing \(header)")
        }
        #expect(jwks.headers["x-request-id"] == "ingress-test-7f3a")
        // An id the daemons would refuse is replaced at the edge, so both sides log the same one.
        let odd = try await ingress.curl("auth.kisum.localhost", "/.well-known/jwks.json", ["-H", "x-request-id: <script>"])
        #expect(odd.headers["x-request-id"].map { $0 != "<script>" && !$0.isEmpty } == true, "\(odd.headers)")
        #expect(world.auth.logs.lines.contains { $0.contains("ingress-test-7f3a") }, "the request id did not reach Auth")

        let contacts = try await ingress.curl("api-basic.kisum.localhost", "/v1/contacts",
                                              ["-H", "authorization: Bearer \(try require(world.tokens["ada"]))", "-H", "x-org: acme"])
        #expect(contacts.status == 200, "\(contacts)")
        #expect(try await ingress.curl("api-finance.kisum.localhost", "/v1/transactions").status == 502)
        #expect(try await ingress.curl("app.kisum.localhost", "/").body == "app")

        // Never routed: internal routes on a public host, Core (no hostname), unknown hosts.
        #expect(try await ingress.curl("auth.kisum.localhost", "/internal/v1/access-feed").status == 404)
        #expect(try await ingress.curl("core.kisum.localhost", "/health").status < 0, "Core answered through the ingress")

        // HTTP redirects to HTTPS.
        let redirect = try await ingress.curl("auth.kisum.localhost", "/auth/me?x=1", scheme: "http")
        #expect(redirect.status == 308 && redirect.headers["location"] == "https://auth.kisum.localhost:8443/auth/me?x=1", "\(redirect)")

        // CORS for this environment's frontends only.
        let allowed = try await ingress.curl("auth.kisum.localhost", "/auth/me/access", ["-X", "OPTIONS", "-H", "origin: https://app.kisum.localhost:8443"])
        #expect(allowed.status == 204 && allowed.headers["access-control-allow-origin"] == "https://app.kisum.localhost:8443", "\(allowed)")
        let foreign = try await ingress.curl("auth.kisum.localhost", "/.well-known/jwks.json", ["-H", "origin: https://evil.example"])
        #expect(foreign.status == 200 && foreign.headers["access-control-allow-origin"] == nil)

        // Auth's body limit (64k) at the edge; sign-in attempts limited per client address.
        let body = ingress.prefix.appendingPathComponent("large-body").path
        _ = FileManager.default.createFile(atPath: body, contents: Data(repeating: UInt8(ascii: "x"), count: 100_000))
        let large = try await ingress.curl("auth.kisum.localhost", "/auth/login", ["-X", "POST", "--data-binary", "@\(body)"])
        #expect(large.status == 413, "\(large.status)")
        let statuses = try await ChildProcess.run("/usr/bin/curl", ["-s", "--max-time", "20", "--cacert", ingress.ca,
                                                                     "--resolve", "auth.kisum.localhost:\(ingress.https):127.0.0.1",
                                                                     "-o", "/dev/null", "-w", "%{http_code} %{content_type}\n", "-X", "POST", "-d", "{}"]
                                                   + (0..<25).map { "https://auth.kisum.localhost:\(ingress.https)/auth/login\($0.isMultiple(of: 2) ? "/" : "")" })
        // Every other attempt with a trailing slash (the same handler): limited as well.
        // Bodies after the first are printed too: count the status lines. nginx's own refusals
        // are an HTML page, not Auth's JSON ones.
        let refused = statuses.output.components(separatedBy: "429 text/html").count - 1
        let answered = statuses.output.matches(of: /[0-9]{3} application\/json/).count
        #expect(refused >= 10 && refused + answered == 25, "\(refused) refused by nginx, \(answered) answered by Auth: \(statuses.output.suffix(300))")
    }
}
