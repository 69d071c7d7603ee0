import ArgumentParser
import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOHTTP1
import NIOCore
import PlatformKit

/// `kisum-ops auth measure-propagation`: how long after Auth commits a session revocation an
/// enforcing service refuses the session (benchmarks; BENCHMARKS.md). For each signed-in token:
/// read the service's route (allowed), revoke the token's session through Auth's internal
/// route (as Admin), then read again every 2 ms until refused.
struct MeasurePropagation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure-propagation",
        abstract: "Time from a session revocation in Auth to its refusal at an enforcing service (p50, p99, max).")

    @OptionGroup var target: AuthCommand.Target
    @Option(help: "The enforced route, as a full URL.") var route: String
    @Option(help: "File of lines \"access_token x-org\"; each session is revoked once.") var tokens: String
    @Option(help: "How many revocations to time.") var count = 200

    func run() async throws {
        let auth = try await target.client()
        let lines = try String(contentsOfFile: tokens, encoding: .utf8).split(separator: "\n").prefix(count)
        var samples: [Double] = []
        var failures = 0
        for line in lines {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let session = Self.sessionID(of: String(parts[0])) else { continue }
            let token = String(parts[0]), org = String(parts[1])
            guard try await status(token, org) == 200 else { failures += 1; continue }
            let revoke = try await auth.send(.post, "/internal/v1/sessions/\(session)/revoke", json: ["reason": "benchmark"])
            guard revoke.status == 200 else { failures += 1; continue }
            let committed = ContinuousClock.now
            while try await status(token, org) == 200 {
                guard ContinuousClock.now - committed < .seconds(5) else { break }
                try await Task.sleep(for: .milliseconds(2))
            }
            samples.append((ContinuousClock.now - committed).secondsValue * 1000)
        }
        guard !samples.isEmpty else { throw ValidationError("no revocation could be timed (\(failures) failed)") }
        samples.sort()
        func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
        print(String(format: "RESULT revocations=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f failed=%d",
                     samples.count, percentile(0.5), percentile(0.99), samples.last!, failures))
    }

    private func status(_ token: String, _ org: String) async throws -> Int {
        var request = HTTPClientRequest(url: route)
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        request.headers.add(name: "x-org", value: org)
        let (response, _) = try await HTTPClient.shared.exchange(request, timeout: .seconds(5), maxBytes: 1 << 20)
        return Int(response.status.code)
    }

    /// The `sid` claim of an access token (read, not verified: the service verifies).
    static func sessionID(of token: String) -> String? {
        let segments = token.split(separator: ".")
        guard segments.count == 3 else { return nil }
        var payload = segments[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
        guard let data = Data(base64Encoded: payload),
              let claims = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return claims["sid"] as? String
    }
}
