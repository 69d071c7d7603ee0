import ArgumentParser
import AsyncHTTPClient
import ConsoleCollectors
import ConsoleModel
import ConsoleTerminal
import Foundation
import NIOCore

/// The operations console: every daemon's health, readiness and traffic, read from their
/// management listeners in the background while the screen stays responsive.
@main
struct KisumConsole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kisum-console",
        abstract: "The operations console (ncurses): health, readiness and traffic of every daemon.",
        discussion: "Targets come from a state folder (./kisum up writes console-targets.json there) or a target inventory file.")

    @Option(help: "The local state folder (reads console-targets.json in it).") var state: String?
    @Option(help: "A target inventory file (environment, targets).") var targets: String?
    @Option(help: "Seconds between refreshes (1, 2, 5, 10 or 30).") var interval = 2
    @Option(help: "Per-request deadline when reading a target, in milliseconds.") var timeoutMs = 1500
    @Flag(help: "No action that changes anything is offered.") var readonly = false

    func validate() throws {
        guard (state == nil) != (targets == nil) else { throw ValidationError("pass exactly one of --state DIR or --targets FILE") }
        guard ConsoleState.intervals.contains(interval) else { throw ValidationError("--interval must be one of \(ConsoleState.intervals)") }
        guard (100...30_000).contains(timeoutMs) else { throw ValidationError("--timeout-ms must be between 100 and 30000") }
    }

    func run() async throws {
        let file = targets.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: state!, isDirectory: true).appendingPathComponent(TargetInventory.fileName)
        let inventory = try TargetInventory.load(from: file)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .milliseconds(Int64(timeoutMs)))))
        let collector = ProbeCollector(client: client, timeout: .milliseconds(timeoutMs))
        do {
            let driver = try NCursesDriver()
            let loop = ConsoleLoop(driver: driver, screen: ConsoleScreen(environment: inventory.environment, unicode: driver.unicode),
                                   targets: inventory.targets, intervalSeconds: interval, readonly: readonly) { targets in
                await collector.probeAll(targets)
            }
            await loop.run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
