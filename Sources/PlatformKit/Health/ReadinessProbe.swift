import Foundation
import Prometheus

/// Runs the readiness checks concurrently, each bounded by its timeout.
public struct ReadinessProbe: Sendable {
    /// The outcome of one check.
    public struct CheckResult: Codable, Sendable, Equatable {
        public var name: String
        public var status: String
        public var critical: Bool
        public var latencyMS: Double
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case name, status, critical, error
            case latencyMS = "latency_ms"
        }
    }

    /// The body of `GET /ready`.
    public struct Report: Codable, Sendable, Equatable {
        public var service: String
        public var status: String
        public var checks: [CheckResult]

        public var isReady: Bool { status == "ready" }
    }

    public let service: String
    public let checks: [ReadinessCheck]
    let metrics: PlatformMetrics?

    public init(service: String, checks: [ReadinessCheck], metrics: PlatformMetrics? = nil) {
        self.service = service
        self.checks = checks
        self.metrics = metrics
    }

    public func run() async -> Report {
        let results = await withTaskGroup(of: (Int, CheckResult).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await Self.run(check)) }
            }
            var results = [CheckResult?](repeating: nil, count: checks.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
        for result in results {
            metrics?.gauge("kisum_readiness_check_up", help: "1 when the readiness check last passed, else 0.", labels: [("check", result.name)])
                .set(result.status == "ok" ? 1.0 : 0.0)
        }
        let ready = !results.contains { $0.critical && $0.status != "ok" }
        return Report(service: service, status: ready ? "ready" : "not_ready", checks: results)
    }

    static func run(_ check: ReadinessCheck) async -> CheckResult {
        let start = ContinuousClock.now
        let outcome: String?
        do {
            try await withDeadline(check.timeout) { try await check.probe() }
            outcome = nil
        } catch let failure as ReadinessFailure {
            outcome = failure.reason
        } catch is DeadlineExceeded {
            outcome = "timeout after \(Int(check.timeout.milliseconds)) ms"
        } catch {
            outcome = "check failed"
        }
        let latency = (ContinuousClock.now - start).milliseconds
        return CheckResult(name: check.name, status: outcome == nil ? "ok" : "fail", critical: check.critical,
                           latencyMS: (latency * 100).rounded() / 100, error: outcome)
    }
}
