import Foundation

/// Checks a runbook's inputs, previews it (dry run: nothing is called) and runs it step by
/// step, stopping at the first step that does not answer as expected.
public enum RunbookRunner {
    /// What happens while a runbook runs (for live output).
    public enum Event: Sendable, Equatable {
        case started(step: Int, name: String, call: String)
        case finished(step: Int, status: Int, lines: [String])
        case failed(step: Int, reason: String)
    }

    /// How one step went.
    public struct StepResult: Sendable, Equatable, Codable {
        public let name: String
        public let call: String
        public let status: Int?
        public let ok: Bool
        public let lines: [String]
    }

    /// How the run went.
    public struct Result: Sendable, Equatable, Codable {
        public let runbook: String
        public let succeeded: Bool
        public let steps: [StepResult]
        public let captures: [String: String]
        /// Why it stopped, when it did not succeed.
        public let failure: String?

        public init(runbook: String, succeeded: Bool, steps: [StepResult], captures: [String: String], failure: String?) {
            self.runbook = runbook
            self.succeeded = succeeded
            self.steps = steps
            self.captures = captures
            self.failure = failure
        }
    }

    /// The inputs' values: given ones checked by kind, defaults filled in; unknown or missing
    /// names refused (every problem at once).
    public static func resolveInputs(_ runbook: Runbook, given: [String: String]) throws -> [String: String] {
        var problems: [String] = []
        var values: [String: String] = [:]
        for name in given.keys where !runbook.inputs.contains(where: { $0.name == name }) {
            problems.append("\(runbook.name) has no input \(name) (inputs: \(runbook.inputs.map(\.name).joined(separator: ", ")))")
        }
        for input in runbook.inputs {
            guard let value = given[input.name] ?? input.default else {
                problems.append("\(input.name) is required: \(input.summary)")
                continue
            }
            if let problem = check(value, as: input.kind) { problems.append("\(input.name): \(problem)") }
            values[input.name] = value
        }
        guard problems.isEmpty else { throw RunbookError.badInput(problems.sorted().joined(separator: "\n")) }
        return values
    }

    /// The calls the runbook would make, values substituted (captures shown as `{name}`).
    public static func preview(_ runbook: Runbook, inputs: [String: String]) -> [String] {
        var lines = ["\(runbook.title) (\(runbook.risk.rawValue))"]
        var known = inputs
        for (index, step) in runbook.steps.enumerated() {
            for name in (step.capture ?? [:]).keys { known[name] = "{\(name) from step \(index + 1)}" }
        }
        for (index, step) in runbook.steps.enumerated() {
            let path = (try? Placeholders.substitute(step.request.path, values: known)) ?? step.request.path
            var line = "\(index + 1). \(step.name): \(step.request.method) \(path)"
            if let body = step.request.body, let resolved = try? body.mapStrings({ try Placeholders.substitute($0, values: known) }) {
                line += " " + resolved.text
            }
            lines.append(line)
        }
        if runbook.risk == .destructive, let confirm = runbook.confirm {
            lines.append("Destructive: confirm by typing \(inputs[confirm] ?? "the \(confirm)").")
        }
        return lines
    }

    /// Runs every step in order. A destructive runbook runs only when `confirmation` is
    /// exactly the value of its confirm input (checked before any call).
    public static func run(_ runbook: Runbook, inputs: [String: String], confirmation: String?, transport: any RunbookTransport,
                           events: @Sendable (Event) -> Void = { _ in }) async throws -> Result {
        if runbook.risk == .destructive, let confirm = runbook.confirm {
            let expected = inputs[confirm] ?? ""
            guard confirmation == expected, !expected.isEmpty else { throw RunbookError.notConfirmed(expected: expected) }
        }
        var values = inputs
        var captures: [String: String] = [:]
        var results: [StepResult] = []
        for (offset, step) in runbook.steps.enumerated() {
            let index = offset + 1
            let path = try Placeholders.substitute(step.request.path, values: values, encode: Placeholders.urlComponent)
            let body = try step.request.body?.mapStrings { try Placeholders.substitute($0, values: values) }
            let call = "\(step.request.method) \(path)"
            events(.started(step: index, name: step.name, call: call))
            let reply: RunbookReply
            do {
                reply = try await transport.send(method: step.request.method, path: path, body: body)
            } catch {
                let reason = "no answer: \(error)"
                events(.failed(step: index, reason: reason))
                results.append(StepResult(name: step.name, call: call, status: nil, ok: false, lines: [reason]))
                return Result(runbook: runbook.name, succeeded: false, steps: results, captures: captures, failure: "step \(index) (\(step.name)): \(reason)")
            }
            guard step.successStatuses.contains(reply.status) else {
                var reason = "answered \(reply.status)" + (reply.errorText.map { " (\($0))" } ?? "")
                if let advice = step.onFailure { reason += " — \(advice)" }
                events(.failed(step: index, reason: reason))
                results.append(StepResult(name: step.name, call: call, status: reply.status, ok: false, lines: [reason]))
                return Result(runbook: runbook.name, succeeded: false, steps: results, captures: captures, failure: "step \(index) (\(step.name)): \(reason)")
            }
            var missing: [String] = []
            for (name, location) in (step.capture ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let value = reply.body?.value(at: location), value != .null {
                    values[name] = value.text
                    captures[name] = value.text
                } else {
                    missing.append("\(name) (\(location))")
                }
            }
            let lines = shownLines(step: step, reply: reply)
            guard missing.isEmpty else {
                let reason = "the answer has no " + missing.joined(separator: ", ") + (step.onFailure.map { " — \($0)" } ?? "")
                events(.failed(step: index, reason: reason))
                results.append(StepResult(name: step.name, call: call, status: reply.status, ok: false, lines: lines + [reason]))
                return Result(runbook: runbook.name, succeeded: false, steps: results, captures: captures, failure: "step \(index) (\(step.name)): \(reason)")
            }
            events(.finished(step: index, status: reply.status, lines: lines))
            results.append(StepResult(name: step.name, call: call, status: reply.status, ok: true, lines: lines))
        }
        return Result(runbook: runbook.name, succeeded: true, steps: results, captures: captures, failure: nil)
    }

    /// `show`'s paths as `path: value` lines; without `show`, the whole answer on one line.
    static func shownLines(step: RunbookStep, reply: RunbookReply) -> [String] {
        guard let body = reply.body else { return [] }
        guard let paths = step.show, !paths.isEmpty else { return [body.text] }
        return paths.map { path in "\(path): \(body.value(at: path)?.text ?? "(absent)")" }
    }

    /// A problem with `value` for an input of `kind`, or nil.
    static func check(_ value: String, as kind: RunbookInput.Kind) -> String? {
        guard value.count <= 500 else { return "longer than 500 characters" }
        guard !value.contains(where: { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) }) else { return "contains control characters" }
        switch kind {
        case .uuid: return UUID(uuidString: value) == nil ? "\"\(value)\" is not an id (UUID)" : nil
        case .email:
            let parts = value.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") ? nil : "\"\(value)\" is not an email address"
        case .name:
            return !value.isEmpty && value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) })
                && !value.allSatisfy({ $0 == "." })
                ? nil : "\"\(value)\" is not a name (letters, digits, - _ . :)"
        case .text: return value.isEmpty ? "is empty" : nil
        case .boolean: return ["true", "false"].contains(value) ? nil : "\"\(value)\" is not true or false"
        }
    }
}
