import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import PlatformKit
import ServiceLifecycle

/// An HTTP relay in front of a service, for cutting one path off while the rest passes: the
/// requests whose path contains `gated` are passed, refused (503) or held unanswered, as set.
public final class HTTPRelay: Sendable {
    public enum Mode: Sendable { case pass, refuse, hang }

    public let url: String
    private let mode: NIOLockedValueBox<Mode>
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(url: String, mode: NIOLockedValueBox<Mode>, group: ServiceGroup, task: Task<Void, any Error>) {
        self.url = url
        self.mode = mode
        self.group = group
        self.task = task
    }

    /// A relay to `target` (`http://host:port`) on a free loopback port.
    public static func start(to target: String, gating gated: String) async throws -> HTTPRelay {
        let mode = NIOLockedValueBox(Mode.pass)
        let router = Router()
        let forward: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            if request.uri.path.contains(gated) {
                switch mode.withLockedValue({ $0 }) {
                case .pass: break
                case .refuse: return Response(status: .serviceUnavailable)
                case .hang:
                    let until = ContinuousClock.now + .seconds(30)
                    while mode.withLockedValue({ $0 }) == .hang, ContinuousClock.now < until {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    return Response(status: .serviceUnavailable)
                }
            }
            var outgoing = HTTPClientRequest(url: target + request.uri.description)
            outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
            for field in request.headers where field.name.canonicalName != "host" {
                outgoing.headers.add(name: field.name.canonicalName, value: field.value)
            }
            outgoing.body = .bytes(try await request.body.collect(upTo: 4 << 20))
            let response = try await HTTPClient.shared.execute(outgoing, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 16 << 20)
            var headers = HTTPFields()
            if let type = response.headers.first(name: "content-type") { headers[.contentType] = type }
            return Response(status: .init(code: Int(response.status.code)), headers: headers, body: .init(byteBuffer: body))
        }
        for method in [HTTPRequest.Method.get, .post, .put, .delete] {
            router.on("**", method: method, use: forward)
        }
        let port = NIOLockedValueBox<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLockedValue { $0 = channel.localAddress?.port } },
                              logger: Logger(label: "relay"))
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: Logger(label: "relay")))
        let task = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(10)
        while port.withLockedValue({ $0 }) == nil {
            guard ContinuousClock.now < deadline else {
                await group.triggerGracefulShutdown()
                throw TestFailure("the relay did not start")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return HTTPRelay(url: "http://127.0.0.1:\(port.withLockedValue { $0 }!)", mode: mode, group: group, task: task)
    }

    /// What happens to the gated path from now on.
    public func set(_ newMode: Mode) { mode.withLockedValue { $0 = newMode } }

    public func stop() async throws {
        set(.pass)
        await group.triggerGracefulShutdown()
        try await withDeadline(.seconds(30)) { [task] in try await task.value }
    }
}
