import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import PlatformKit

/// One place for the console and runbooks to ask how the platform is: every daemon's
/// readiness and key metrics, fetched from their management listeners in parallel, each with
/// its own deadline (a hung daemon shows as unreachable, never stalls the overview).
struct OperationsOverview: Sendable {
    struct Target: Sendable, Equatable {
        let name: String
        let url: String
    }

    let targets: [Target]
    let timeout: Duration
    let client: HTTPClient

    /// Parses `OPERATIONS_TARGETS` (`name=url,name=url`).
    static func targets(_ text: String) -> [Target]? {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let targets = parts.compactMap { part -> Target? in
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, !pair[0].isEmpty, let url = URL(string: pair[1]), ["http", "https"].contains(url.scheme ?? "") else { return nil }
            return Target(name: pair[0], url: pair[1].hasSuffix("/") ? String(pair[1].dropLast()) : pair[1])
        }
        return targets.count == parts.count ? targets : nil
    }

    func report() async -> OverviewReport {
        let results = await withTaskGroup(of: (Int, TargetStatus).self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask { (index, await status(of: target)) }
            }
            var results: [(Int, TargetStatus)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return OverviewReport(generatedAt: Date(), targets: results,
                              summary: .init(ready: results.filter { $0.ready == true }.count,
                                             notReady: results.filter { $0.reachable && $0.ready != true }.count,
                                             unreachable: results.filter { !$0.reachable }.count))
    }

    func status(of target: Target) async -> TargetStatus {
        let start = ContinuousClock.now
        async let ready = fetch(target.url + "/ready")
        async let metrics = fetch(target.url + "/metrics")
        let (readyReply, metricsReply) = await (ready, metrics)
        let elapsed = (ContinuousClock.now - start).secondsValue * 1000
        guard case .success(let (status, body)) = readyReply else {
            if case .failure(let error) = readyReply {
                return TargetStatus(name: target.name, url: target.url, reachable: false, ready: nil, checks: [], latencyMS: elapsed,
                                    metrics: nil, error: error.description)
            }
            return TargetStatus(name: target.name, url: target.url, reachable: false, ready: nil, checks: [], latencyMS: elapsed,
                                metrics: nil, error: "unknown")
        }
        let report = try? JSONDecoder().decode(ReadinessProbe.Report.self, from: Data(buffer: body))
        var summary: MetricSummary?
        if case .success(let (metricStatus, metricBody)) = metricsReply, metricStatus == 200 {
            summary = MetricSummary(PrometheusSample.parse(String(buffer: metricBody)))
        }
        return TargetStatus(name: target.name, url: target.url, reachable: true, ready: status == 200 && report?.isReady == true,
                            checks: report?.checks ?? [], latencyMS: elapsed, metrics: summary,
                            error: report == nil ? "readiness answer was not understood (HTTP \(status))" : nil)
    }

    enum FetchError: Error, CustomStringConvertible {
        case timeout, unreachable
        var description: String { self == .timeout ? "timeout" : "unreachable" }
    }

    private func fetch(_ url: String) async -> Result<(Int, ByteBuffer), FetchError> {
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            let (response, body) = try await client.exchange(request, timeout: timeout, maxBytes: 8 << 20)
            return .success((Int(response.status.code), body))
        } catch is DeadlineExceeded {
            return .failure(.timeout)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .failure(.timeout)
        } catch {
            return .failure(.unreachable)
        }
    }
}
