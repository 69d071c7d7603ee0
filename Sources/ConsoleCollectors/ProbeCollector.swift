import AsyncHTTPClient
import ConsoleModel
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Reads the management listeners of the targets: `/health`, `/ready` and `/metrics`, every
/// target at once, each request bounded by `timeout` (a dead or slow target costs the pass at
/// most that, and shows as such while the rest is read).
public struct ProbeCollector: Sendable {
    let client: HTTPClient
    let timeout: Duration

    /// `client`: owned by the caller (shut it down on exit).
    public init(client: HTTPClient, timeout: Duration = .milliseconds(1500)) {
        self.client = client
        self.timeout = timeout
    }

    /// One probe of every target, in the targets' order.
    public func probeAll(_ targets: [Target]) async -> [Probe] {
        await withTaskGroup(of: (Int, Probe).self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask { (index, await probe(target)) }
            }
            var probes: [(Int, Probe)] = []
            for await probe in group { probes.append(probe) }
            return probes.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// One probe of `target`: its three management routes read concurrently.
    public func probe(_ target: Target) async -> Probe {
        let at = Date().timeIntervalSince1970
        let started = ContinuousClock.now
        let monotonic = Self.seconds(started - Self.origin)
        async let health = fetch(target.managementURL + "/health")
        async let ready = fetch(target.managementURL + "/ready")
        async let metrics = fetch(target.managementURL + "/metrics")
        let healthReply = await health
        let healthLatency = (ContinuousClock.now - started)
        let readyReply = await ready, metricsReply = await metrics

        let healthFailure: String? = switch healthReply {
        case .success(let reply) where reply.status == 200: nil
        case .success(let reply): "/health answered \(reply.status)"
        case .failure(let failure): failure.description
        }
        var readiness: Probe.Readiness?
        if case .success(let reply) = readyReply, reply.status == 200 || reply.status == 503 {
            readiness = try? JSONDecoder().decode(Probe.Readiness.self, from: reply.body)
        }
        var metricsText: MetricsText?
        if case .success(let reply) = metricsReply, reply.status == 200 {
            metricsText = MetricsText(parsing: String(decoding: reply.body, as: UTF8.self))
        }
        return Probe(target: target, at: at, monotonic: monotonic, healthFailure: healthFailure, readiness: readiness, metrics: metricsText,
                     healthLatencyMS: healthFailure == nil ? Self.seconds(healthLatency) * 1000 : nil)
    }

    /// The monotonic clock's zero for `Probe.monotonic`.
    private static let origin = ContinuousClock.now

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    struct Reply {
        let status: Int
        let body: Data
    }

    /// Why a read failed, in words for the screen.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private func fetch(_ url: String) async -> Result<Reply, Failure> {
        do {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "user-agent", value: "kisum-console")
            let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
            let response = try await client.execute(request, timeout: .nanoseconds(nanoseconds))
            let body = try await response.body.collect(upTo: 8 << 20)
            return .success(Reply(status: Int(response.status.code), body: Data(buffer: body)))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .failure(Failure(description: "no answer within \(timeout)"))
        } catch {
            return .failure(Failure(description: Self.describe(error)))
        }
    }

    /// A short reason: "connection refused", not a type dump.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("NIOConnectionError") || text.contains("connect") { return "cannot connect" }
        return String(text.prefix(120))
    }
}
