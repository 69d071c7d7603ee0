import RunbookEngine

/// Lays out and draws the current view into a cell grid. Pure: the same state, model and size
/// always give the same grid (snapshot tests rely on it).
public struct ConsoleScreen: Sendable {
    /// Below this the console says which size it needs instead of drawing.
    public static let minimumWidth = 60
    public static let minimumHeight = 12

    public let environment: String
    /// Box drawing and sparklines in UTF-8, or ASCII.
    public let unicode: Bool

    public init(environment: String, unicode: Bool) {
        self.environment = environment
        self.unicode = unicode
    }

    /// Between parts of a line.
    private var dot: String { unicode ? " · " : " | " }
    private var dash: String { unicode ? " — " : " - " }
    private var cursor: String { unicode ? "▏" : "_" }

    /// The whole screen for `state` and `model`, `width` × `height`; `now` in seconds since the
    /// Unix epoch (for ages).
    public func render(state: ConsoleState, model: OverviewModel, width: Int, height: Int, now: Double,
                       runbooks: [Runbook] = [], activity: RunbookActivity? = nil, runbookNotice: String? = nil) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else {
            let lines = ["The console needs at least \(Self.minimumWidth)x\(Self.minimumHeight);",
                         "this terminal is \(width)x\(height).", "q quits."]
            for (index, line) in lines.enumerated() { grid.write(line, x: 0, y: index, style: .warning) }
            return grid
        }
        let rows = model.rows
        let alerts = ConsoleAlerts.evaluate(model)
        drawTitle(into: &grid, rows: rows, alerts: alerts.count, state: state)
        switch state.view {
        case .overview: drawOverview(into: &grid, rows: state.visible(rows), state: state, now: now)
        case .service(let target): drawService(into: &grid, row: rows.first { $0.target == target }, probe: model.probe(of: target), now: now)
        case .alerts: drawAlerts(into: &grid, alerts: alerts)
        case .runbooks: drawRunbooks(into: &grid, runbooks: runbooks, selection: state.runbookSelection, notice: runbookNotice)
        case .runbook(let name):
            drawRunbook(into: &grid, runbook: runbooks.first { $0.name == name }, state: state,
                        activity: activity?.runbook == name ? activity : nil)
        case .certificates: drawCertificates(into: &grid, model: model, now: now)
        case .keys: drawSigningKeys(into: &grid, model: model, now: now)
        case .audit: drawAudit(into: &grid, model: model, filter: state.filter, now: now)
        case .help: drawHelp(into: &grid, state: state)
        }
        drawStatusLine(into: &grid, state: state)
        return grid
    }

    private func drawTitle(into grid: inout CellGrid, rows: [DaemonRow], alerts: Int, state: ConsoleState) {
        let up = rows.filter { $0.health == .up }.count
        let down = rows.filter { if case .down = $0.health { true } else { false } }.count
        let notReady = rows.filter { if case .notReady = $0.health { true } else { false } }.count
        var title = "kisum console" + dot + environment + dot + "\(rows.count) daemons: \(up) up, \(notReady) not ready, \(down) down"
        title += dot + (alerts == 1 ? "1 alert" : "\(alerts) alerts")
        title += state.paused ? dot + "PAUSED" : dot + "every \(state.intervalSeconds) s"
        if state.readonly { title += dot + "read-only" }
        grid.fill(row: 0, style: .title)
        grid.write(title, x: 0, y: 0, style: .title)
    }

    private func drawOverview(into grid: inout CellGrid, rows: [DaemonRow], state: ConsoleState, now: Double) {
        let columns: [(String, Int, Bool)] = [("SERVICE", 10, false), ("INSTANCE", 9, false), ("STATE", 10, false), ("REQ/S", 6, true),
                                              ("5XX", 6, true), ("P50ms", 6, true), ("P99ms", 6, true), ("UPTIME", 7, true)]
        var x = 0
        for (name, width, right) in columns {
            grid.write(Format.fit(name, width, right: right), x: x, y: 1, style: .bold)
            x += width + 1
        }
        grid.write("TREND", x: x, y: 1, style: .bold)
        let historyX = x
        let listTop = 2, listBottom = grid.height - 3  // a detail line and the status line below
        let capacity = max(0, listBottom - listTop)
        let selection = min(state.selection, max(0, rows.count - 1))
        let first = max(0, min(selection - capacity + 1, rows.count - capacity))
        for (offset, row) in rows.dropFirst(first).prefix(capacity).enumerated() {
            let y = listTop + offset
            let selected = first + offset == selection
            let base: CellStyle = selected ? .selected : .plain
            if selected { grid.fill(row: y, style: .selected) }
            let values: [String] = [row.target.service, row.target.instance, row.health.marker, Format.rate(row.rates?.requestsPerSecond),
                                    Format.percent(row.rates?.serverErrorRatio), Format.milliseconds(row.rates?.p50MS),
                                    Format.milliseconds(row.rates?.p99MS), Format.age(row.uptimeSeconds)]
            var x = 0
            for ((_, width, right), value) in zip(columns, values) {
                let style: CellStyle = value == row.health.marker && x > 0 ? healthStyle(row.health, selected: selected) : base
                grid.write(Format.fit(value, width, right: right), x: x, y: y, style: style)
                x += width + 1
            }
            grid.write(Sparkline.render(row.history, width: grid.width - historyX, unicode: unicode), x: historyX, y: y, style: base)
        }
        if rows.isEmpty {
            grid.write(state.filter.isEmpty ? "No targets: pass --targets FILE or --state DIR." : "Nothing matches the filter \"\(state.filter)\" (Esc clears it).",
                       x: 0, y: listTop, style: .dim)
        }
        if selection < rows.count {
            let row = rows[selection]
            let detail: String = switch row.health {
            case .up: "\(row.target.id): up" + dot + row.target.managementURL + dot + "Enter for details"
            case .notReady(let check): "\(row.target.id): not ready, failing check \(check)" + dot + "Enter for details"
            case .down(let reason): "\(row.target.id): down" + dash + reason + (row.lastSeen.map { dot + "last seen \(Format.age(now - $0)) ago" } ?? "")
            case .unknown: "\(row.target.id): not probed yet"
            }
            grid.write(detail, x: 0, y: grid.height - 2, style: healthStyle(row.health, selected: false))
        }
    }

    private func drawService(into grid: inout CellGrid, row: DaemonRow?, probe: Probe?, now: Double) {
        guard let row else {
            grid.write("This target is no longer in the inventory (Esc goes back).", x: 0, y: 2, style: .dim)
            return
        }
        var y = 2
        grid.writeLine(at: &y, row.target.id + dot + row.health.marker + (row.uptimeSeconds.map { dot + "up \(Format.age($0))" } ?? ""),
             style: healthStyle(row.health, selected: false))
        grid.writeLine(at: &y, "management \(row.target.managementURL)" + (row.target.publicURL.map { dot + "public \($0)" } ?? ""), style: .dim)
        if case .down(let reason) = row.health { grid.writeLine(at: &y, "down: \(reason)", style: .critical) }
        grid.writeLine(at: &y, "requests/s \(Format.rate(row.rates?.requestsPerSecond))" + dot + "5xx \(Format.percent(row.rates?.serverErrorRatio))" + dot
             + "p50 \(Format.milliseconds(row.rates?.p50MS)) ms" + dot + "p99 \(Format.milliseconds(row.rates?.p99MS)) ms")
        y += 1
        grid.writeLine(at: &y, "READINESS CHECK         STATE  CRITICAL  LATENCY  ERROR", style: .bold)
        for check in probe?.readiness?.checks ?? [] {
            let state = check.passed ? "ok" : "FAIL"
            let text = Format.fit(check.name, 23) + " " + Format.fit(state, 6) + " " + Format.fit(check.critical ? "yes" : "no", 9) + " "
                + Format.fit(Format.milliseconds(check.latencyMS) + " ms", 8, right: true) + " " + (check.error ?? "")
            grid.writeLine(at: &y, text, style: check.passed ? .plain : (check.critical ? .critical : .warning))
        }
        if probe?.readiness == nil { grid.writeLine(at: &y, "(readiness not read)", style: .dim) }
        y += 1
        let facts = ServiceFacts(metrics: probe?.metrics, at: probe?.at ?? now).lines
        if !facts.isEmpty { grid.writeLine(at: &y, "OF NOTE", style: .bold) }
        for fact in facts { grid.writeLine(at: &y, fact) }
    }

    private func drawAlerts(into grid: inout CellGrid, alerts: [ConsoleAlert]) {
        grid.write("SEVERITY  ALERT                 TARGET          DETAIL", x: 0, y: 1, style: .bold)
        guard !alerts.isEmpty else {
            grid.write("No alerts: every daemon is up and ready, no elevated 5xx, feeds fresh.", x: 0, y: 2, style: .good)
            return
        }
        var y = 2
        for alert in alerts where y < grid.height - 1 {
            let style: CellStyle = alert.severity == .critical ? .critical : .warning
            let marker = alert.severity == .critical ? "CRITICAL" : "WARNING"
            let runbook = alert.runbook.map { dot + "runbook \($0)" } ?? ""
            grid.write(Format.fit(marker, 9) + " " + Format.fit(alert.name, 21) + " " + Format.fit(alert.target.id, 15) + " " + alert.detail + runbook,
                       x: 0, y: y, style: style)
            y += 1
        }
    }

    private func drawRunbooks(into grid: inout CellGrid, runbooks: [Runbook], selection: Int, notice: String?) {
        grid.write("RUNBOOK                        RISK         TITLE", x: 0, y: 1, style: .bold)
        guard !runbooks.isEmpty else {
            let lines = notice.map { $0.split(separator: "\n").map(String.init) } ?? ["No runbooks: pass --runbooks DIR (the repository's runbooks/ folder)."]
            for (offset, line) in lines.prefix(max(0, grid.height - 3)).enumerated() {
                grid.write(line, x: 0, y: 2 + offset, style: notice == nil ? .dim : .warning)
            }
            return
        }
        let capacity = max(0, grid.height - 4)
        let first = max(0, min(selection - capacity + 1, runbooks.count - capacity))
        for (offset, runbook) in runbooks.dropFirst(first).prefix(capacity).enumerated() {
            let y = 2 + offset
            let selected = first + offset == selection
            if selected { grid.fill(row: y, style: .selected) }
            let riskStyle: CellStyle = selected ? .selected : (runbook.risk == .destructive ? .critical : (runbook.risk == .change ? .warning : .plain))
            grid.write(Format.fit(runbook.name, 30), x: 0, y: y, style: selected ? .selected : .plain)
            grid.write(Format.fit(runbook.risk.rawValue.uppercased(), 12), x: 31, y: y, style: riskStyle)
            grid.write(runbook.title, x: 44, y: y, style: selected ? .selected : .plain)
        }
    }

    private func drawRunbook(into grid: inout CellGrid, runbook: Runbook?, state: ConsoleState, activity: RunbookActivity?) {
        guard let runbook else {
            grid.write("No such runbook (Esc goes back).", x: 0, y: 2, style: .dim)
            return
        }
        var y = 2
        grid.writeLine(at: &y, runbook.title + dot + runbook.risk.rawValue.uppercased(), style: runbook.risk == .destructive ? .critical : .bold)
        grid.writeLine(at: &y, runbook.summary, style: .dim)
        y += 1
        let given = state.runbookInputs[runbook.name] ?? [:]
        for input in runbook.inputs {
            let value = given[input.name].map { "= \($0)" } ?? input.default.map { "= \($0) (default)" } ?? "(required)"
            grid.writeLine(at: &y, "  \(input.name) \(value)" + dot + input.summary, style: given[input.name] == nil && input.default == nil ? .warning : .plain)
        }
        if runbook.inputs.isEmpty { grid.writeLine(at: &y, "  (no inputs)", style: .dim) }
        y += 1
        if let activity {
            let style: CellStyle = switch activity.state {
            case .running: .bold
            case .succeeded: .good
            case .failed: .critical
            }
            grid.writeLine(at: &y, activity.state == .running ? "RUNNING" : (activity.state == .succeeded ? "DONE" : "STOPPED"), style: style)
            for text in activity.lines.suffix(max(0, grid.height - 1 - y)) { grid.writeLine(at: &y, text) }
        } else if let inputs = try? RunbookRunner.resolveInputs(runbook, given: given) {
            grid.writeLine(at: &y, "Dry run (nothing called yet):", style: .bold)
            for text in RunbookRunner.preview(runbook, inputs: inputs).dropFirst() { grid.writeLine(at: &y, "  " + text) }
        } else {
            grid.writeLine(at: &y, "e types the inputs; x runs it" + (runbook.risk == .read ? "." : " after a typed confirmation."), style: .dim)
        }
    }

    private func drawHelp(into grid: inout CellGrid, state: ConsoleState) {
        var y = 2
        grid.write("Keys (Esc goes back)", x: 0, y: y, style: .bold)
        y += 1
        for line in KeyTable.helpLines(readonly: state.readonly) where y < grid.height - 1 {
            grid.write("  " + line, x: 0, y: y)
            y += 1
        }
        if y < grid.height - 2 {
            grid.write("UP: live and ready. NOT READY: a check fails. DOWN: no /health. ...: not probed yet.", x: 0, y: y + 1, style: .dim)
        }
    }

    private func drawStatusLine(into grid: inout CellGrid, state: ConsoleState) {
        let y = grid.height - 1
        switch state.mode {
        case .filtering(let text): grid.write("/" + text + cursor + "  (Enter keeps, Esc cancels)", x: 0, y: y, style: .bold)
        case .palette(let text): grid.write(":" + text + cursor + "  (Tab completes, Enter goes, Esc cancels)", x: 0, y: y, style: .bold)
        case .editing(let name, let input, let text):
            let field = state.inputName(runbook: name, index: input)
            grid.write("\(field): " + text + cursor + "  (Enter next, Esc stops)", x: 0, y: y, style: .bold)
        case .confirming(let name, let expected, let text):
            grid.write("type \(expected) to run \(name): " + text + cursor + "  (Enter runs, Esc cancels)", x: 0, y: y, style: .warning)
        case .normal:
            if let message = state.message {
                grid.write(message, x: 0, y: y, style: .warning)
            } else {
                let filter = state.filter.isEmpty ? "" : "filter \"\(state.filter)\"" + dot
                grid.write(filter + "? help  : view  / filter  Enter open  Esc back  +/- interval  space pause  q quit",
                           x: 0, y: y, style: .dim)
            }
        }
    }

    private func healthStyle(_ health: DaemonHealth, selected: Bool) -> CellStyle {
        switch health {
        case .up: selected ? .selected : .good
        case .notReady: .warning
        case .down: .critical
        case .unknown: .dim
        }
    }
}
