import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PlatformKit
@testable import PlatformRedis
import PlatformTesting
import Testing

/// The paths that used to wait forever: a command written on a connection that closed between
/// checkout and write (its handlers gone, the message dropped, the reply promise never
/// completed), a setup (AUTH/SELECT) on such a connection leaving its slot connecting for good,
/// and a caller that is cancelled. Each call here runs under a deadline, so a regression fails
/// the test instead of hanging the suite.
@Suite struct RedisHangTests {
    @Test func aCommandOnAConnectionClosedBeforeTheWriteFailsAtOnce() async throws {
        let configuration = RedisConfiguration(url: TestEnvironment.redisURL)!
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(timeout: .seconds(60)))
                }
            }
            .connect(host: configuration.host, port: configuration.port).get()
        try await channel.close()

        // Neither the handler's timer nor its failAll can answer: the handler is gone.
        let start = ContinuousClock.now
        let outcome = try await withDeadline(.seconds(10)) {
            await attempt { _ = try await RedisRequest.roundTrip([RedisCommand("PING")], on: channel, timeout: .seconds(60)) }
        }
        #expect(outcome == RedisError.Code.connectionClosed.name)
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func aServerThatHangsUpDuringAuthNeverLeavesTheSlotConnecting() async throws {
        let server = try await HangUpServer.start()
        defer { server.close() }
        var configuration = RedisConfiguration(url: "redis://:not-a-secret@127.0.0.1:\(server.port)/3")!
        configuration.connectTimeout = .seconds(2)
        configuration.commandTimeout = .seconds(30)
        configuration.breakerThreshold = 100
        configuration.connections = 1
        let redis = RedisClient(configuration: configuration, metrics: PlatformMetrics(), logger: Logger(label: "test"))
        // Twenty calls in a row on the one slot: each fails promptly and the next one connects
        // anew (a slot stuck connecting would hang the second call for good).
        for round in 0..<20 {
            let start = ContinuousClock.now
            let code = try await withDeadline(.seconds(10)) { await attempt { _ = try await redis.get("k") } }
            #expect(code != "answered", "round \(round)")
            #expect(ContinuousClock.now - start < .seconds(5), "round \(round) took too long")
        }
        #expect(server.accepted() >= 2, "every attempt connected anew")
    }

    @Test func aCancelledCallerStopsWaitingAtOnce() async throws {
        let hole = try BlackholeListener()
        var configuration = RedisConfiguration(url: "redis://127.0.0.1:\(hole.port)")!
        configuration.connectTimeout = .seconds(5)
        configuration.commandTimeout = .seconds(60)
        let redis = RedisClient(configuration: configuration, metrics: PlatformMetrics(), logger: Logger(label: "test"))
        let call = Task { await attempt { _ = try await redis.get("k") } }
        try await Task.sleep(for: .milliseconds(300))
        let start = ContinuousClock.now
        call.cancel()
        let code = try await withDeadline(.seconds(10)) { await call.value }
        #expect(code == RedisError.Code.cancelled.name)
        #expect(ContinuousClock.now - start < .seconds(5))
        // Giving up is the caller's choice, not Redis's failure.
        #expect(redis.breaker.current == .closed)
    }

    @Test func aWindowCounterAlwaysExpires() async throws {
        var configuration = RedisConfiguration(url: TestEnvironment.redisURL)!
        configuration.commandTimeout = .seconds(2)
        configuration.connectTimeout = .seconds(2)
        let redis = RedisClient(configuration: configuration, metrics: PlatformMetrics(), logger: Logger(label: "test"))
        let key = TestEnvironment.uniqueName("window")
        #expect(try await redis.incrementWindow(key, window: .seconds(30)) == 1)
        let ttl = try await redis.send(RedisCommand("PTTL", [key])).int ?? -2
        #expect(ttl > 0 && ttl <= 30_000)

        // A counter left without an expiry (by a client that died between two commands) gets one.
        try await redis.send(RedisCommand("SET", [key + "-stuck", "7"]))
        #expect(try await redis.incrementWindow(key + "-stuck", window: .seconds(30)) == 8)
        #expect((try await redis.send(RedisCommand("PTTL", [key + "-stuck"])).int ?? -2) > 0)

        // A key that is not a counter is an error, never a count of zero that lets everyone in.
        try await redis.send(RedisCommand("SET", [key + "-text", "abc"]))
        await #expect(throws: RedisError.self) { try await redis.incrementWindow(key + "-text", window: .seconds(30)) }
        try await redis.delete([key, key + "-stuck", key + "-text"])
    }
}

/// "answered", or the code of the `RedisError` the call threw.
func attempt(_ call: @Sendable () async throws -> Void) async -> String {
    do {
        try await call()
        return "answered"
    } catch let error as RedisError {
        return error.code.name
    } catch {
        return "\(error)"
    }
}

/// A TCP server that accepts and hangs up at once: a Redis that closes a new connection
/// (maxclients reached, a proxy in trouble) before the client's first write.
final class HangUpServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let counter: AcceptCounter

    private init(channel: any Channel, counter: AcceptCounter) {
        self.channel = channel
        self.counter = counter
        self.port = channel.localAddress?.port ?? 0
    }

    static func start() async throws -> HangUpServer {
        let counter = AcceptCounter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                counter.add()
                return child.close()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return HangUpServer(channel: channel, counter: counter)
    }

    func accepted() -> Int { counter.value }
    func close() { channel.close(promise: nil) }
}

final class AcceptCounter: Sendable {
    private let count = NIOLockedValueBox(0)
    func add() { count.withLockedValue { $0 += 1 } }
    var value: Int { count.withLockedValue { $0 } }
}
