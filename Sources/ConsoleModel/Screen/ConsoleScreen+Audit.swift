import Foundation

extension ConsoleScreen {
    /// Admin's newest audit entries (through Admin as the operator): when, who, what, on what,
    /// how it ended; `/` filters by actor, action, target, outcome or reason.
    func drawAudit(into grid: inout CellGrid, model: OverviewModel, filter: String, now: Double) {
        grid.write("WHEN (UTC)        OUTCOME  ACTOR                     ACTION                    TARGET", x: 0, y: 1, style: .bold)
        guard let report = model.audit, let readAt = model.auditReadAt else {
            grid.write("Not read yet (read through Admin as you, every 30 s).", x: 0, y: 2, style: .dim)
            return
        }
        switch report {
        case .unavailable(let reason):
            grid.write(reason, x: 0, y: 2, style: .warning)
        case .value(let entries):
            let shown = entries.filter { $0.matches(filter) }
            if shown.isEmpty { grid.write(filter.isEmpty ? "No audit entries." : "No entry matches \"\(filter)\".", x: 0, y: 2, style: .dim) }
            var y = 2
            for entry in shown where y < grid.height - 2 {
                let style: CellStyle = switch entry.outcome {
                case "ok": .plain
                case "pending": .dim
                default: .warning
                }
                let outcome = entry.errorCode.map { "\(entry.outcome):\($0)" } ?? entry.outcome
                grid.write(Format.fit(Self.utc(entry.createdAt.timeIntervalSince1970), 17) + " " + Format.fit(outcome, 8) + " "
                           + Format.fit(entry.actorEmail, 25) + " " + Format.fit(entry.action, 25) + " " + entry.target
                           + (entry.reason.map { " (\($0))" } ?? ""), x: 0, y: y, style: style)
                y += 1
            }
        }
        grid.write("read \(Format.age(now - readAt)) ago" + (filter.isEmpty ? "; / filters" : "; filter \"\(filter)\""),
                   x: 0, y: grid.height - 2, style: .dim)
    }
}
