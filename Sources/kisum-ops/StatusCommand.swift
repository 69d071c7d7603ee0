import ArgumentParser
import AsyncHTTPClient
import ConsoleCollectors
import ConsoleModel
import Foundation
import PlatformKit

/// `kisum-ops status`: the console's overview without a terminal — every daemon's state,
/// failing check, request rate, 5xx share, latency and uptime, as a table or JSON. Two passes a
/// second apart (the rates are deltas). Exits 1 when a daemon is not up.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Every daemon's state and traffic (the console's overview); exit 1 unless all are up.")

    @Option(help: "The local state folder (reads console-targets.json in it).") var state: String?
    @Option(help: "A target inventory file (environment, targets).") var targets: String?
    @Option(help: "Per-request deadline when reading a target, in milliseconds.") var timeoutMs = 1500
    @Flag(help: "JSON instead of a table.") var json = false

    func validate() throws {
        guard (state == nil) != (targets == nil) else { throw ValidationError("pass exactly one of --state DIR or --targets FILE") }
        guard (100...30_000).contains(timeoutMs) else { throw ValidationError("--timeout-ms must be between 100 and 30000") }
    }

    func run() async throws {
        let file = targets.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: state!, isDirectory: true).appendingPathComponent(TargetInventory.fileName)
        let inventory = try TargetInventory.load(from: file)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let collector = ProbeCollector(client: client, timeout: .milliseconds(timeoutMs))
        var model = OverviewModel(targets: inventory.targets)
        for pass in 0..<2 {
            if pass > 0 { try? await Task.sleep(for: .seconds(1)) }
            for probe in await collector.probeAll(inventory.targets) { model.record(probe) }
        }
        try await client.shutdown()
        let report = OverviewReport(environment: inventory.environment, rows: model.rows)
        if json {
            print(String(decoding: try JSONEncoder.platform.encode(report), as: UTF8.self))
        } else {
            // Check names and reasons come from the targets: printed without control characters.
            print(report.table.split(separator: "\n").map { TerminalText.printable(String($0)) }.joined(separator: "\n"))
        }
        if !report.allUp { throw ExitCode(1) }
    }
}
