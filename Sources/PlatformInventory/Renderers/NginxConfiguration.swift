/// The ingress for an environment hosted as processes: an nginx `http {}` include that
/// terminates TLS, routes public hostnames only (Core and every management listener are never
/// routed), redirects HTTP to HTTPS, adds the security headers and CORS for the environment's
/// frontends, limits request bodies and sign-in attempts, sets `X-Forwarded-For` /
/// `X-Forwarded-Proto` and `x-request-id`, and writes JSON access logs.
///
/// Relative paths resolve against nginx's prefix: certificates in `tls/` beside the
/// configuration, frontends' files in `html/<frontend>/`.
public struct NginxConfiguration: Sendable {
    public let inventory: Inventory
    public let environment: InventoryEnvironment
    /// `host:port` of each instance of a service's public listener; by default one, the
    /// inventory's port on `upstream_host`.
    public var upstreams: [String: [String]]
    public var httpListen: String
    public var httpsListen: String

    public init(inventory: Inventory, environment: InventoryEnvironment) {
        self.inventory = inventory
        self.environment = environment
        let host = environment.upstreamHost ?? "127.0.0.1"
        var upstreams: [String: [String]] = [:]
        for service in inventory.services(in: environment) {
            if let port = service.ports.public { upstreams[service.name] = ["\(host):\(port)"] }
        }
        self.upstreams = upstreams
        let address = environment.ingressAddress
        httpListen = "\(address):\(environment.httpPort)"
        httpsListen = "\(address):\(environment.httpsPort) ssl"
    }

    /// The services the ingress routes to: public ones, deployed in this environment.
    var routed: [Service] {
        inventory.services(in: environment).filter { $0.exposure == .public && $0.host != nil }
    }

    /// Every hostname the ingress answers for.
    public var hostnames: [String] {
        var labels: [String] = inventory.frontends.map(\.host)
        for service in routed where !labels.contains(service.host!) { labels.append(service.host!) }
        return labels.map(environment.hostname)
    }

    /// nginx's main configuration around `include` (run with `nginx -p PREFIX -c conf/FILE`):
    /// logs, pid and temporary files under the prefix.
    public static func main(include: String, foreground: Bool) -> String {
        GeneratedText.header(comment: "#", what: "nginx's main configuration for the ingress") + """
        \(foreground ? "daemon off;\n" : "")worker_processes auto;
        pid logs/nginx.pid;
        error_log logs/error.log;
        events { worker_connections 1024; }
        http {
            client_body_temp_path tmp/body;
            proxy_temp_path tmp/proxy;
            include \(include);
        }

        """
    }

    public func render() -> String {
        var out = GeneratedText.header(comment: "#", what: "the \(environment.name) ingress (nginx, inside http {})")
        out += """
        log_format kisum_json escape=json '{"time":"$time_iso8601","request_id":"$kisum_request_id",'
            '"host":"$host","method":"$request_method","path":"$uri","status":$status,"bytes":$body_bytes_sent,'
            '"duration_s":$request_time,"upstream":"$upstream_addr","upstream_s":"$upstream_response_time",'
            '"client":"$remote_addr"}';
        access_log logs/access.json kisum_json;
        server_tokens off;

        # The caller's x-request-id when it is sane (what the daemons accept), else nginx's own;
        # passed upstream and back, so the ingress and the daemon log the same id.
        map $http_x_request_id $kisum_request_id {
            "~^[A-Za-z0-9._:-]{1,128}$" $http_x_request_id;
            default $request_id;
        }
        # CORS: only this environment's frontends.
        map $http_origin $kisum_cors_origin {
            default "";

        """
        for frontend in inventory.frontends {
            let port = environment.httpsPort == 443 ? "" : ":\(environment.httpsPort)"
            out += "    \"https://\(environment.hostname(frontend.host))\(port)\" $http_origin;\n"
        }
        out += """
        }
        limit_req_zone $binary_remote_addr zone=kisum_sign_in:10m rate=5r/s;
        limit_req_status 429;

        """
        // Three failures (refused, timed out, or a 502/503 that was retried elsewhere) take an
        // instance out for 5 s: one application 503 (a database blip) must not eject every
        // instance at once and leave clients nginx's own "no live upstreams" 502.
        for service in routed {
            let servers = (upstreams[service.name] ?? ["127.0.0.1:1"]).map { "    server \($0) max_fails=3 fail_timeout=5s;\n" }.joined()
            out += "upstream \(service.unitName) {\n\(servers)    keepalive 32;\n}\n"
        }
        out += """

        # HTTP only redirects; unknown hosts are refused.
        server {
            listen \(httpListen) default_server;
            server_name \(hostnames.joined(separator: " "));
            return 308 https://$host\(environment.httpsPort == 443 ? "" : ":\(environment.httpsPort)")$request_uri;
        }
        server {
            listen \(httpsListen) default_server;
            ssl_reject_handshake on;
        }

        """
        let certificate = "tls/\(environment.zone)"
        for frontend in inventory.frontends {
            out += server(host: frontend.host, certificate: certificate, frontend: frontend)
        }
        for service in routed where !inventory.frontends.contains(where: { $0.host == service.host }) {
            out += server(host: service.host!, certificate: certificate, frontend: nil)
        }
        return out
    }

    private func server(host: String, certificate: String, frontend: Frontend?) -> String {
        let services = routed.filter { $0.host == host }
        var out = """
        server {
            listen \(httpsListen);
            server_name \(environment.hostname(host));
            ssl_certificate \(certificate).crt;
            ssl_certificate_key \(certificate).key;
            ssl_protocols TLSv1.2 TLSv1.3;
            client_max_body_size 1m;
        \(securityHeaders(frontend: frontend))
            # Internal routes live on management listeners, never here; refused even if a daemon had one.
            location /internal/ { return 404; }

        """
        for service in services {
            for path in service.paths {
                out += location(path, service: service)
                for signIn in service.signInPaths where signIn.hasPrefix(path) || path == "/" {
                    // A prefix, not `=`: `/auth/login/` reaches the same handler and is limited too.
                    out += location(signIn, service: service, signIn: true)
                }
            }
        }
        if let frontend {
            out += """
                location / {
                    root html/\(frontend.name);
                    try_files $uri /index.html;
                }

            """
        }
        return out + "}\n"
    }

    private func securityHeaders(frontend: Frontend?) -> String {
        let all = SecurityHeaders.everywhere + [("Content-Security-Policy", SecurityHeaders.contentSecurityPolicy(frontend: frontend != nil))]
        // The ingress's values replace the daemons' own (which they send for a bare cluster ingress): one of each.
        let headers = all.map { "    proxy_hide_header \($0.name);\n    add_header \($0.name) \"\($0.value)\" always;\n" }.joined()
        return """
            add_header Strict-Transport-Security "\(SecurityHeaders.hsts)" always;
        \(headers)\
            add_header X-Request-Id $kisum_request_id always;
            add_header Access-Control-Allow-Origin $kisum_cors_origin always;
            add_header Access-Control-Allow-Credentials true always;
            add_header Access-Control-Allow-Headers "authorization, content-type, idempotency-key, x-org, x-request-id" always;
            add_header Access-Control-Allow-Methods "GET, POST, PUT, PATCH, DELETE, OPTIONS" always;
            add_header Vary Origin always;
        """
    }

    private func location(_ path: String, service: Service, signIn: Bool = false) -> String {
        let timeout = service.timeout ?? "30s"
        var lines = [
            "location \(path) {",
            "    if ($request_method = OPTIONS) { return 204; }",
        ]
        if signIn { lines.append("    limit_req zone=kisum_sign_in burst=10 nodelay;") }
        lines += [
            "    client_max_body_size \(service.bodyLimit ?? "1m");",
            "    proxy_pass http://\(service.unitName);",
            "    proxy_http_version 1.1;",
            "    proxy_set_header Connection \"\";",
            "    proxy_set_header Host $host;",
            "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "    proxy_set_header X-Forwarded-Proto $scheme;",
            "    proxy_set_header X-Request-Id $kisum_request_id;",
            "    proxy_hide_header X-Request-Id;",
            "    proxy_connect_timeout 2s;",
            "    proxy_read_timeout \(timeout);",
            "    proxy_send_timeout \(timeout);",
            // Retried on another instance only when nothing was sent (nginx never retries a POST).
            "    proxy_next_upstream error timeout http_502 http_503;",
            "    proxy_next_upstream_tries 2;",
            "}",
        ]
        return lines.map { "    " + $0 + "\n" }.joined() + "\n"
    }
}
