/// Checks a runbook before it can be listed or run: every problem at once, in words.
enum RunbookValidator {
    static let methods: Set<String> = ["GET", "POST", "PUT", "DELETE"]

    /// The path without its query.
    static func route(of path: String) -> String { String(path.prefix { $0 != "?" }) }

    /// What a step can do, whatever the file says: reading (GET, or asking Auth to explain
    /// access), ending sessions or retiring keys (destructive), anything else that writes
    /// (a change). A runbook's risk is at least its steps' highest.
    static func minimumRisk(of step: RunbookStep) -> Runbook.Risk {
        let route = route(of: step.request.path)
        let method = step.request.method
        if method == "GET" || (method == "POST" && route == "/admin/v1/access/explain") { return .read }
        let segments = route.split(separator: "/")
        let endsSessions = (segments.last == "revoke" && segments.dropLast(2).last == "sessions") || route.hasSuffix("/sessions/revoke-all")
            || route.hasSuffix("/status")
        let emergency = step.request.body?.value(at: "emergency") != nil && step.request.body?.value(at: "emergency") != .bool(false)
        if endsSessions || (route == "/admin/v1/keys/rotate" && emergency) || method == "DELETE" { return .destructive }
        return .change
    }

    static func problems(in runbook: Runbook) -> [String] {
        var problems: [String] = []
        if !runbook.name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) || runbook.name.isEmpty {
            problems.append("name \"\(runbook.name)\" must be lowercase letters, digits and dashes")
        }
        if runbook.steps.isEmpty { problems.append("it has no steps") }
        var known = Set<String>()
        for input in runbook.inputs {
            if !known.insert(input.name).inserted { problems.append("input \(input.name) is declared twice") }
        }
        switch (runbook.risk, runbook.confirm) {
        case (.destructive, nil): problems.append("a destructive runbook must name the input the operator types to confirm (confirm:)")
        case (.destructive, let name?) where !known.contains(name): problems.append("confirm names \(name), which is not an input")
        case (.destructive, let name?) where runbook.inputs.first { $0.name == name }?.default != nil:
            problems.append("confirm input \(name) must not have a default (the operator types the target)")
        default: break
        }
        for (index, step) in runbook.steps.enumerated() {
            let label = "step \(index + 1) (\(step.name))"
            if !methods.contains(step.request.method) { problems.append("\(label): method \(step.request.method) is not one of \(methods.sorted())") }
            let least = minimumRisk(of: step)
            if runbook.risk < least {
                problems.append("\(label): \(step.request.method) \(route(of: step.request.path)) needs risk \(least.rawValue) at least, not \(runbook.risk.rawValue)")
            }
            if !step.request.path.hasPrefix("/admin/v1/") {
                problems.append("\(label): every call goes through the Admin API (/admin/v1/…), not \(step.request.path)")
            }
            let used = Placeholders.names(in: step.request.path) + (step.request.body?.strings.flatMap(Placeholders.names) ?? [])
            for name in used where !known.contains(name) {
                problems.append("\(label): {\(name)} is neither an input nor captured by an earlier step")
            }
            if step.successStatuses.isEmpty || step.successStatuses.contains(where: { !(100...599).contains($0) }) {
                problems.append("\(label): expect must list HTTP statuses")
            }
            for name in (step.capture ?? [:]).keys {
                if !known.insert(name).inserted { problems.append("\(label): capture \(name) shadows an input or an earlier capture") }
            }
        }
        return problems
    }
}
