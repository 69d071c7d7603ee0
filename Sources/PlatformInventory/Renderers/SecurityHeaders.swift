/// The security headers the spec asks of the public hosts, one table for both ingresses (the
/// local nginx and the Kubernetes ingress controller). HSTS is each ingress's own setting.
public enum SecurityHeaders {
    static let hstsMaxAgeSeconds = 31_536_000
    static let hsts = "max-age=\(hstsMaxAgeSeconds); includeSubDomains"

    /// Name → value on every public host.
    public static let everywhere: [(name: String, value: String)] = [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]

    /// The content security policy of an API host (`frontend` false) or a frontend's host. On
    /// Kubernetes the frontends' own servers send theirs (the controller's headers are global).
    static func contentSecurityPolicy(frontend: Bool) -> String {
        frontend ? "default-src 'self'; frame-ancestors 'none'" : "default-src 'none'; frame-ancestors 'none'"
    }
}
