import AsyncHTTPClient
import ConsoleCollectors
import ConsoleModel
import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import Testing

/// The collector reads real management listeners over HTTP: a healthy daemon, one that is not
/// ready, one that is gone and one that never answers — the last costs the pass its deadline,
/// nothing more.
@Suite struct ProbeCollectorTests {
    /// A loopback server with the management routes; `/ready` fails, `/slow/*` never answers in time.
    func withServer<Value: Sendable>(_ body: @Sendable (Int) async throws -> Value) async throws -> Value {
        let router = Router()
        router.get("/health") { _, _ in "{\"status\":\"ok\"}" }
        router.get("/ready") { _, _ -> Response in
            let body = #"{"service":"x","status":"not_ready","checks":[{"name":"database","status":"ok","critical":true,"latency_ms":1.5},{"name":"jwks","status":"failed","critical":true,"latency_ms":0,"error":"not loaded"}]}"#
            return Response(status: .serviceUnavailable, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/metrics") { _, _ in "kisum_process_start_time_seconds 1000\nkisum_http_requests_in_flight 2\n" }
        router.get("/slow/health") { _, _ -> String in
            try await Task.sleep(for: .seconds(30))
            return "late"
        }
        let ports = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { ports.continuation.yield($0.localAddress?.port ?? 0) })
        return try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []); return nil }
            var iterator = ports.stream.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            let value = try await body(port)
            group.cancelAll()
            return value
        }
    }

    /// A port nothing listens on.
    func closedPort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress!.port!
        try channel.close().wait()
        return port
    }

    @Test(.timeLimit(.minutes(1))) func upNotReadyGoneAndSilentTargets() async throws {
        let dead = try closedPort()
        let probes = try await withServer { port in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let collector = ProbeCollector(client: client, timeout: .milliseconds(400))
            let targets = [
                Target(service: "good", managementURL: "http://127.0.0.1:\(port)"),
                Target(service: "gone", managementURL: "http://127.0.0.1:\(dead)"),
                Target(service: "silent", managementURL: "http://127.0.0.1:\(port)/slow"),
            ]
            let started = ContinuousClock.now
            let probes = await collector.probeAll(targets)
            let took = ContinuousClock.now - started
            try await client.shutdown()
            #expect(took < .seconds(5), "a pass took \(took) with a 400 ms deadline per request")
            return probes
        }
        #expect(probes.map(\.target.service) == ["good", "gone", "silent"])
        let good = probes[0]
        #expect(good.healthFailure == nil)
        #expect(good.readiness?.checks.map(\.name) == ["database", "jwks"])
        #expect(good.metrics?.value("kisum_http_requests_in_flight") == 2)
        #expect(DaemonHealth(probe: good) == .notReady(check: "jwks"))
        #expect(probes[1].healthFailure != nil)
        #expect(probes[2].healthFailure?.contains("no answer within") == true, "\(probes[2].healthFailure ?? "nil")")
        #expect(DaemonHealth(probe: probes[2]) == .down(reason: probes[2].healthFailure!))
    }
}
