import Foundation

/// One item of the spec's security review and go-live checklists: checked by a machine (pass
/// or fail, with the reason) or left to a person.
struct PreflightItem: Sendable, Equatable {
    enum Outcome: String, Sendable { case pass = "PASS", fail = "FAIL", manual = "MANUAL", skipped = "SKIP" }
    let title: String
    let outcome: Outcome
    let reason: String
}

/// The checklist's results as a table for an operator.
struct PreflightReport: Sendable {
    let environment: String
    let items: [PreflightItem]

    var failed: Bool { items.contains { $0.outcome == .fail } }

    func rendered() -> String {
        let width = items.map(\.title.count).max() ?? 10
        var out = "Preflight for \(environment)\n\n"
        for item in items {
            out += "\(item.outcome.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) "
                + item.title.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(item.reason)\n"
        }
        let counts = Dictionary(grouping: items, by: \.outcome).mapValues(\.count)
        out += "\n\(counts[.pass] ?? 0) passed, \(counts[.fail] ?? 0) failed, \(counts[.manual] ?? 0) for a person, \(counts[.skipped] ?? 0) skipped\n"
        return out
    }
}
