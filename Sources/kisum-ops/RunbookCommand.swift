import ArgumentParser
import AsyncHTTPClient
import ConsoleCollectors
import Foundation
import PlatformKit
import ConsoleModel
import RunbookEngine

/// `kisum-ops runbook list|show|run`: the scripted runbooks of `runbooks/`, run through the
/// Admin API as the signed-in operator (`kisum-ops signin`), never with a service credential.
struct RunbookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook", abstract: "List, show and run the scripted runbooks (through the Admin API, as you).",
        subcommands: [List.self, Show.self, Run.self])

    struct Library: ParsableArguments {
        @Option(help: "The folder of runbook files.") var runbooks = "runbooks"

        func load() throws -> RunbookLibrary { try RunbookLibrary.load(from: URL(fileURLWithPath: runbooks, isDirectory: true)) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every runbook: name, risk, title.")
        @OptionGroup var library: Library
        @Flag(help: "JSON instead of a table.") var json = false

        func run() throws {
            let runbooks = try library.load().runbooks
            if json {
                print(String(decoding: try JSONEncoder.platform.encode(runbooks), as: UTF8.self))
                return
            }
            for runbook in runbooks {
                print(runbook.name.padding(toLength: 30, withPad: " ", startingAt: 0) + runbook.risk.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) + runbook.title)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A runbook's inputs and steps.")
        @OptionGroup var library: Library
        @Argument var name: String

        func run() throws {
            let runbook = try library.load().runbook(named: name)
            print("\(runbook.title) [\(runbook.risk.rawValue)]\n\(runbook.summary)")
            if let reference = runbook.reference { print("See: \(reference)") }
            print("Inputs:")
            for input in runbook.inputs {
                print("  \(input.name) (\(input.kind.rawValue)\(input.default.map { ", default \($0)" } ?? ", required")): \(input.summary)")
            }
            if let confirm = runbook.confirm { print("Confirmation: type the value of \(confirm)") }
            print("Steps:")
            for (index, step) in runbook.steps.enumerated() { print("  \(index + 1). \(step.name): \(step.request.method) \(step.request.path)") }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a runbook (--dry-run shows the calls without making them).",
            discussion: """
                A change needs --yes (or typing yes); a destructive runbook needs its target typed: \
                --confirm VALUE, or at the prompt. Every run is kept in the history file.
                """)
        @OptionGroup var library: Library
        @Argument var name: String
        @Option(name: .customLong("input"), help: "An input, name=value (repeat).") var inputs: [String] = []
        @Flag(help: "Show the calls; make none.") var dryRun = false
        @Flag(help: "Do not ask before a change (destructive runbooks still need --confirm).") var yes = false
        @Option(help: "The confirmation a destructive runbook asks for (its target).") var confirm: String?
        @Flag(help: "The result as JSON.") var json = false
        @Option(help: "The Admin API.") var adminURL = "http://127.0.0.1:8103"
        @Option(help: "Your access token file (kisum-ops signin writes it).") var tokenFile = OperatorToken.defaultFile
        @Option(help: "Where runs are recorded.") var history = OperatorToken.directory + "/runbook-history.jsonl"

        func run() async throws {
            let runbook = try library.load().runbook(named: name)
            var given: [String: String] = [:]
            for pair in inputs {
                guard let equals = pair.firstIndex(of: "=") else { throw ValidationError("--input takes name=value, not \(pair)") }
                given[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            let values = try RunbookRunner.resolveInputs(runbook, given: given)
            let preview = RunbookRunner.preview(runbook, inputs: values)
            if dryRun {
                print((["Dry run: nothing is called."] + preview).joined(separator: "\n"))
                return
            }
            var confirmation = confirm
            switch runbook.risk {
            case .read: break
            case .change:
                if !yes {
                    print(preview.joined(separator: "\n"))
                    guard Self.ask("Type yes to run it: ") == "yes" else { throw RunbookError.badInput("not run: not confirmed") }
                }
            case .destructive:
                if confirmation == nil {
                    print(preview.joined(separator: "\n"))
                    confirmation = Self.ask("Type \(values[runbook.confirm ?? ""] ?? "the target") to run it: ")
                }
            }
            let token = try OperatorToken.read(from: tokenFile)
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let transport = AdminHTTPTransport(client: client, adminURL: adminURL, token: token)
            let quiet = json
            let result: RunbookRunner.Result
            do {
                result = try await RunbookRunner.run(runbook, inputs: values, confirmation: confirmation, transport: transport) { event in
                    guard !quiet else { return }
                    switch event {
                    // Answers come from the network: printed without control characters.
                    case .started(let step, let name, let call): print(TerminalText.printable("[\(step)] \(name): \(call)"))
                    case .finished(_, let status, let lines): print(([" -> \(status)"] + lines.map { "    " + TerminalText.printable($0) }).joined(separator: "\n"))
                    case .failed(_, let reason): print(" -> FAILED: " + TerminalText.printable(reason))
                    }
                }
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
            try? RunbookHistory(file: URL(fileURLWithPath: history)).append(
                .init(at: Date(), runbook: runbook.name, inputs: values, succeeded: result.succeeded, failure: result.failure))
            if json { print(String(decoding: try JSONEncoder.platform.encode(result), as: UTF8.self)) }
            else { print(result.succeeded ? "done: \(runbook.title)" : "stopped: " + TerminalText.printable(result.failure ?? "")) }
            if !result.succeeded { throw ExitCode(1) }
        }

        static func ask(_ prompt: String) -> String? {
            print(prompt, terminator: "")
            return readLine()?.trimmingCharacters(in: .whitespaces)
        }
    }
}
