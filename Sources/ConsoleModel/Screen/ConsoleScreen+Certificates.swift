import Foundation

extension ConsoleScreen {
    /// Every public endpoint's certificate: when it expires, days left, and how urgent (the
    /// alert rules' thresholds: 30 renew, 14 ticket, 7 page).
    func drawCertificates(into grid: inout CellGrid, model: OverviewModel, now: Double) {
        grid.write("STATE    ENDPOINT                              EXPIRES (UTC)     DAYS  DETAIL", x: 0, y: 1, style: .bold)
        guard let checkedAt = model.certificatesCheckedAt else {
            grid.write("Not checked yet (certificates are read every few minutes, r does not hurry them).", x: 0, y: 2, style: .dim)
            return
        }
        guard !model.certificates.isEmpty else {
            grid.write("No HTTPS public endpoint in the targets (checked \(Format.age(now - checkedAt)) ago).", x: 0, y: 2, style: .dim)
            return
        }
        var y = 2
        let ordered = model.certificates.sorted { lhs, rhs in
            let (left, right) = (lhs.level(now: now), rhs.level(now: now))
            return left != right ? left > right : (lhs.notAfter ?? 0) < (rhs.notAfter ?? 0)
        }
        for check in ordered where y < grid.height - 1 {
            let level = check.level(now: now)
            let style: CellStyle = switch level {
            case .fine: .good
            case .renewSoon, .ticket, .unreadable: .warning
            case .page, .expired: .critical
            }
            let expires = check.notAfter.map(Self.utc) ?? "-"
            let days = check.daysLeft(now: now).map { String(Int($0.rounded(.down))) } ?? "-"
            grid.write(Format.fit(level.label, 8) + " " + Format.fit(check.endpoint, 37) + " " + Format.fit(expires, 17) + " "
                       + Format.fit(days, 5, right: true) + "  " + (check.problem ?? ""), x: 0, y: y, style: style)
            y += 1
        }
    }

    /// `2027-03-01 12:00`, UTC.
    static func utc(_ seconds: Double) -> String {
        var time = time_t(seconds), parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min))
    }
}
