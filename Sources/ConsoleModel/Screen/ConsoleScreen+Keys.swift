import Foundation

extension ConsoleScreen {
    /// Auth's signing keys (through Admin, as the signed-in operator): state, age, when each
    /// activates and retires; rotating is a runbook (`rotate-signing-key`, or
    /// `emergency-rotate-signing-key` when a key has leaked).
    func drawSigningKeys(into grid: inout CellGrid, model: OverviewModel, now: Double) {
        grid.write("STATE     KID                                   AGE        ACTIVATES (UTC)   RETIRES (UTC)", x: 0, y: 1, style: .bold)
        guard let report = model.signingKeys, let readAt = model.signingKeysReadAt else {
            grid.write("Not read yet (read through Admin as you, every 30 s).", x: 0, y: 2, style: .dim)
            return
        }
        var y = 2
        switch report {
        case .unavailable(let reason):
            grid.write(reason, x: 0, y: y, style: .warning)
        case .value(let keys):
            if let problem = report.problem {
                grid.write(problem, x: 0, y: y, style: .critical)
                y += 1
            }
            let order = ["active": 0, "pending": 1, "retiring": 2]
            for key in keys.sorted(by: { (order[$0.state] ?? 3, $1.createdAt) < (order[$1.state] ?? 3, $0.createdAt) }) where y < grid.height - 2 {
                let style: CellStyle = key.state == "active" ? .good : .plain
                let retires = key.retireAt.map { Self.utc($0.timeIntervalSince1970) } ?? "-"
                grid.write(Format.fit(key.state.uppercased(), 9) + " " + Format.fit(key.kid, 37) + " "
                           + Format.fit(Format.age(now - key.createdAt.timeIntervalSince1970), 10) + " "
                           + Format.fit(Self.utc(key.activateAt.timeIntervalSince1970), 17) + " " + retires, x: 0, y: y, style: style)
                y += 1
            }
        }
        grid.write("read \(Format.age(now - readAt)) ago; rotate with the runbooks rotate-signing-key (staged) or emergency-rotate-signing-key",
                   x: 0, y: grid.height - 2, style: .dim)
    }
}
