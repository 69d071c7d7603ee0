@testable import ConsoleModel
import Foundation
import Testing

/// Certificates: the alert rules' thresholds, each HTTPS endpoint once, alerts from the console's
/// own reading, and the view reached through the palette.
@Suite struct CertificateViewTests {
    static let now = 1_800_000_000.0
    static func check(_ host: String, days: Double?, problem: String? = nil) -> CertificateCheck {
        CertificateCheck(host: host, port: 443, notAfter: days.map { now + $0 * 86_400 }, problem: problem)
    }

    @Test func thresholdsAreTheAlertRules() {
        let levels = [90, 30, 20, 14, 8, 7, 1, -1].map { Self.check("h", days: Double($0)).level(now: Self.now) }
        #expect(levels == [.fine, .renewSoon, .renewSoon, .ticket, .ticket, .page, .page, .expired])
        #expect(Self.check("h", days: nil, problem: "refused").level(now: Self.now) == .unreadable)
    }

    @Test func eachHTTPSEndpointOnce() {
        let targets = [
            Target(service: "auth", managementURL: "http://m", publicURL: "https://auth.kisum.io"),
            Target(service: "auth", instance: "2", managementURL: "http://m2", publicURL: "https://auth.kisum.io/"),
            Target(service: "admin", managementURL: "http://m", publicURL: "https://admin.kisum.io:8443/admin/v1/"),
            Target(service: "core", managementURL: "http://m"),
            Target(service: "local", managementURL: "http://m", publicURL: "http://127.0.0.1:8101"),
        ]
        #expect(CertificateCheck.endpoints(of: targets).map { "\($0.host):\($0.port)" } == ["auth.kisum.io:443", "admin.kisum.io:8443"])
    }

    @Test func expiringCertificatesAlertAndShowInTheirView() {
        var model = OverviewModel(targets: [])
        #expect(ConsoleAlerts.evaluate(model).isEmpty)
        model.record(certificates: [Self.check("app.kisum.io", days: 200), Self.check("auth.kisum.io", days: 10),
                                    Self.check("admin.kisum.io", days: 3), Self.check("api-ai.kisum.io", days: nil, problem: "cannot connect")],
                     at: Self.now)
        let alerts = ConsoleAlerts.evaluate(model)
        #expect(alerts.map(\.name).sorted() == ["CertificateExpiring", "CertificateExpiringSoon", "CertificateUnreadable"])
        #expect(alerts.first { $0.name == "CertificateExpiringSoon" }?.severity == .critical)
        #expect(alerts.first { $0.name == "CertificateExpiring" }?.target.instance == "auth.kisum.io:443")

        var state = ConsoleState()
        let keys = [Key.character(":")] + "certificates".map { Key.character($0) } + [Key.enter]
        for key in keys {
            _ = state.handle(key, rows: model.rows)
        }
        #expect(state.view == .certificates)
        let text = ConsoleScreen(environment: "production", unicode: false).render(state: state, model: model, width: 100, height: 12, now: Self.now).text
        let lines = text.split(separator: "\n").map(String.init)
        // Most urgent first (expired, unreadable, within a week, …), then by expiry.
        let rows = lines.filter { $0.contains(".kisum.io") }
        #expect(rows.map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["UNREAD", "URGENT", "SOON", "OK"], "\(text)")
        #expect(rows[1].contains("admin.kisum.io:443") && rows[1].trimmingCharacters(in: .whitespaces).hasSuffix(" 3"), "\(rows[1])")
        #expect(rows[0].contains("cannot connect"))
    }
}
