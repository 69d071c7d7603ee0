import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PlatformKit
import Prometheus
import ServiceLifecycle

/// A Redis client on hiredis's RESP codec over SwiftNIO channels: it never blocks an event
/// loop, bounds every call by the command timeout, reconnects by itself after Redis
/// restarts, and stops calling a Redis that keeps failing (circuit breaker). Redis is only a
/// cache: callers treat any `RedisError` as a miss and go to the source of truth.
public final class RedisClient: Service, Sendable {
    public let configuration: RedisConfiguration
    public let breaker: CircuitBreaker<ContinuousClock>
    private let slots: [RedisConnectionSlot]
    private let commandTimeout: TimeAmount
    private let nextSlot = NIOLockedValueBox(0)
    private let metrics: PlatformMetrics
    private let logger: Logger

    public init(configuration: RedisConfiguration, metrics: PlatformMetrics, logger: Logger,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        let breakerGauge = metrics.gauge("kisum_redis_breaker_open", help: "1 while the Redis circuit breaker is open or half-open, else 0.")
        breakerGauge.set(0.0)
        self.breaker = CircuitBreaker(threshold: configuration.breakerThreshold, cooldown: configuration.breakerCooldown) { state in
            breakerGauge.set(state == .closed ? 0.0 : 1.0)
            metrics.counter("kisum_redis_breaker_transitions_total", help: "Redis circuit breaker state changes, by new state.", labels: [("to", "\(state)")]).increment()
            logger.log(level: state == .closed ? .notice : .warning, "redis circuit breaker changed",
                       metadata: ["breaker_state": "\(state)"])
        }
        self.commandTimeout = .nanoseconds(Int64(configuration.commandTimeout.milliseconds * 1_000_000))
        let connect = Self.connector(configuration: configuration, group: eventLoopGroup)
        // The connect attempt is bounded by NIO timers on the event loop (connect timeout, then
        // the AUTH/SELECT round trip's); this backstop only makes waiting for it cancellable and
        // finite. It is generous on purpose: a Swift timer on a busy concurrency pool must not
        // turn a connect that succeeded in time into a timeout.
        let connectLimit = configuration.connectTimeout + configuration.commandTimeout + .seconds(5)
        self.slots = (0..<max(1, configuration.connections)).map { _ in
            RedisConnectionSlot(connectLimit: connectLimit, connect: connect)
        }
    }

    /// Keeps the client alive until graceful shutdown, then closes its connections.
    public func run() async throws {
        try? await gracefulShutdown()
        slots.forEach { $0.shutdown() }
    }

    /// Sends one command. An error reply from Redis is thrown as `RedisError.Code.server`.
    @discardableResult
    public func send(_ command: RedisCommand) async throws(RedisError) -> RESPValue {
        let reply = try await execute([command], label: command.name)[0]
        if case .error(let message) = reply { throw RedisError(.server, message) }
        return reply
    }

    /// Sends several commands in one write and returns their replies in order; error replies
    /// are returned as `.error` values, not thrown.
    public func pipeline(_ commands: [RedisCommand]) async throws(RedisError) -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        return try await execute(commands, label: commands.count == 1 ? commands[0].name : "PIPELINE")
    }

    /// A readiness check (`PING`); `critical` when the daemon declares Redis required.
    public func readinessCheck(critical: Bool, timeout: Duration = .seconds(1)) -> ReadinessCheck {
        ReadinessCheck(name: "redis", critical: critical, timeout: timeout) { [self] in
            do {
                let reply = try await send(RedisCommand("PING"))
                guard reply.string == "PONG" else { throw ReadinessFailure("unexpected PING reply") }
            } catch let error as RedisError {
                throw ReadinessFailure(error.code == .unavailable ? "circuit breaker open" : error.code.description)
            }
        }
    }

    private func execute(_ commands: [RedisCommand], label: String) async throws(RedisError) -> [RESPValue] {
        let start = ContinuousClock.now
        guard breaker.allowRequest() else {
            record(label, outcome: "rejected", since: start)
            throw RedisError(.unavailable, "Redis failed recently; the circuit breaker is open")
        }
        let slot = slots[nextSlot.withLockedValue { index in
            defer { index = (index + 1) % slots.count }
            return index
        }]
        var channel: (any Channel)?
        do {
            let open = try await slot.channel()
            channel = open
            let replies = try await RedisRequest.roundTrip(commands, on: open, timeout: commandTimeout)
            breaker.recordSuccess()
            record(label, outcome: "ok", since: start)
            return replies
        } catch {
            let failure = error as? RedisError ?? Self.classify(error)
            if failure.code == .cancelled {
                // A caller that gave up says nothing about Redis's health, and the connection
                // stays good: the handler still matches the late reply to its request.
                breaker.abandon()
            } else {
                breaker.recordFailure()
                if let channel { slot.discard(channel) }
            }
            record(label, outcome: failure.code.name, since: start)
            throw failure
        }
    }

    private func record(_ command: String, outcome: String, since start: ContinuousClock.Instant) {
        metrics.counter("kisum_redis_commands_total", help: "Redis commands, by command and outcome.", labels: [("command", command), ("outcome", outcome)]).increment()
        if outcome != "rejected" {
            metrics.latency("kisum_redis_command_duration_seconds", help: "Redis command latency, by command.", labels: [("command", command)]).record(ContinuousClock.now - start)
        }
    }

    static func classify(_ error: any Error) -> RedisError {
        if error is DeadlineExceeded { return RedisError(.timeout, "Redis did not accept the connection in time") }
        if error is CancellationError { return RedisError(.cancelled, "the caller stopped waiting for Redis") }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return RedisError(.timeout, "Redis did not accept the connection in time")
        }
        return RedisError(.connectFailed, "cannot connect to Redis")
    }

    /// Opens a channel with the RESP handler and authenticates / selects the database.
    private static func connector(configuration: RedisConfiguration, group: any EventLoopGroup)
        -> @Sendable () async throws -> any Channel
    {
        let commandTimeout = TimeAmount.nanoseconds(Int64(configuration.commandTimeout.milliseconds * 1_000_000))
        let connectTimeout = TimeAmount.nanoseconds(Int64(configuration.connectTimeout.milliseconds * 1_000_000))
        return {
            // NIO's connect timeout runs on the event loop, so a busy Swift concurrency pool
            // cannot make a connect that succeeded in time look like a timeout.
            let channel = try await ClientBootstrap(group: group)
                    .connectTimeout(connectTimeout)
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(timeout: commandTimeout))
                        }
                    }
                    .connect(host: configuration.host, port: configuration.port).get()
            var setup: [RedisCommand] = []
            if let password = configuration.password {
                setup.append(RedisCommand("AUTH", configuration.username.map { [$0, password] } ?? [password]))
            }
            if configuration.database != 0 { setup.append(RedisCommand("SELECT", [String(configuration.database)])) }
            guard !setup.isEmpty else { return channel }
            do {
                let replies = try await RedisRequest.roundTrip(setup, on: channel, timeout: commandTimeout)
                if replies.contains(where: { if case .error = $0 { true } else { false } }) {
                    throw RedisError(.server, "Redis refused AUTH or SELECT")
                }
                return channel
            } catch {
                channel.close(promise: nil)
                throw error
            }
        }
    }
}
