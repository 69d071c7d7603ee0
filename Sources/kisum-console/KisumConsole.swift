import ArgumentParser
import AsyncHTTPClient
import ConsoleCollectors
import ConsoleModel
import ConsoleTerminal
import Foundation
import NIOCore
import RunbookEngine

/// The operations console: every daemon's health, readiness and traffic, read from their
/// management listeners in the background while the screen stays responsive.
@main
struct KisumConsole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kisum-console",
        abstract: "The operations console (ncurses): health, readiness and traffic of every daemon.",
        discussion: """
            Targets come from a state folder (./kisum up writes console-targets.json there), a target inventory file, or an \
            environment of the operations inventory (--env staging reads daemons/console/staging.json).
            """)

    @Option(help: "The local state folder (reads console-targets.json in it).") var state: String?
    @Option(help: "A target inventory file (environment, targets).") var targets: String?
    @Option(help: "An environment of the operations inventory (reads daemons/console/<env>.json).") var env: String?
    @Option(help: "Seconds between refreshes (1, 2, 5, 10 or 30).") var interval = 2
    @Option(help: "Per-request deadline when reading a target, in milliseconds.") var timeoutMs = 1500
    @Flag(help: "No action that changes anything is offered.") var readonly = false
    @Option(help: "The folder of runbook files.") var runbooks = "runbooks"
    @Option(help: "The Admin API (runbooks run through it as you); default: the environment's, or http://127.0.0.1:8103.") var adminURL: String?
    @Option(help: "Your access token file (kisum-ops signin writes it).") var tokenFile = OperatorToken.defaultFile

    func validate() throws {
        do { _ = try TargetInventory.file(state: state, targets: targets, environment: env) } catch { throw ValidationError("\(error)") }
        guard ConsoleState.intervals.contains(interval) else { throw ValidationError("--interval must be one of \(ConsoleState.intervals)") }
        guard (100...30_000).contains(timeoutMs) else { throw ValidationError("--timeout-ms must be between 100 and 30000") }
    }

    func run() async throws {
        let inventory = try TargetInventory.load(from: try TargetInventory.file(state: state, targets: targets, environment: env))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .milliseconds(Int64(timeoutMs)))))
        let collector = ProbeCollector(client: client, timeout: .milliseconds(timeoutMs))
        // Runbooks are optional: when they cannot be loaded, their view says why.
        var library: [Runbook] = [], notice: String?
        do { library = try RunbookLibrary.load(from: URL(fileURLWithPath: runbooks, isDirectory: true)).runbooks } catch {
            notice = "No runbooks from \(runbooks): \(error)"
        }
        let adminURL = adminURL ?? (env == nil ? nil : inventory.adminURL) ?? "http://127.0.0.1:8103"
        let (tokenFile, historyFile) = (tokenFile, OperatorToken.directory + "/runbook-history.jsonl")
        let runRunbook: ConsoleLoop.RunRunbook = { runbook, inputs, confirmation, events in
            // The token is read at each run: signing in after the console started works.
            let transport = AdminHTTPTransport(client: client, adminURL: adminURL, token: try OperatorToken.read(from: tokenFile))
            let result = try await RunbookRunner.run(runbook, inputs: inputs, confirmation: confirmation, transport: transport, events: events)
            try? RunbookHistory(file: URL(fileURLWithPath: historyFile)).append(
                .init(at: Date(), runbook: runbook.name, inputs: inputs, succeeded: result.succeeded, failure: result.failure))
            return result
        }
        do {
            let driver = try NCursesDriver()
            let loop = ConsoleLoop(driver: driver, screen: ConsoleScreen(environment: inventory.environment, unicode: driver.unicode),
                                   targets: inventory.targets, intervalSeconds: interval, readonly: readonly, runbooks: library,
                                   runRunbook: runRunbook, runbookNotice: notice,
                                   checkCertificates: { targets in await CertificateCollector().checkAll(targets) },
                                   readSigningKeys: { await AdminReader(client: client, adminURL: adminURL, tokenFile: tokenFile).signingKeys() },
                                   readAudit: { await AdminReader(client: client, adminURL: adminURL, tokenFile: tokenFile).audit() }) { targets in
                await collector.probeAll(targets)
            }
            // SIGTERM and SIGHUP end the loop like q: the terminal is given back, never left raw.
            let signals = [SIGTERM, SIGHUP].map { number -> any DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number)
                source.setEventHandler { loop.quit() }
                source.resume()
                return source
            }
            await loop.run()
            signals.forEach { $0.cancel() }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
