import NIOCore

/// A batch of commands written together (a pipeline) and the promise for their replies.
struct RedisRequest: Sendable {
    let commands: [RedisCommand]
    let promise: EventLoopPromise<[RESPValue]>

    /// Writes `commands` on `channel` and waits for their replies. The reply promise is
    /// completed on every path, so no caller can wait forever:
    /// - the write's own promise fails the reply promise when the message never reaches the
    ///   handler (a channel closed between checkout and write drops the message: its handlers
    ///   are gone, and with them the handler's `failAll`);
    /// - a timer of its own fails it after `timeout` (the handler's timer lives in the
    ///   pipeline and disappears with it);
    /// - cancelling the calling task fails it at once.
    /// A promise completed twice keeps its first result, so a late reply is simply dropped;
    /// the handler still consumes it in order, so later replies stay matched.
    static func roundTrip(_ commands: [RedisCommand], on channel: any Channel,
                          timeout: TimeAmount) async throws(RedisError) -> [RESPValue] {
        let eventLoop = channel.eventLoop
        let promise = eventLoop.makePromise(of: [RESPValue].self)
        let deadline = eventLoop.scheduleTask(in: timeout) {
            promise.fail(RedisError(.timeout, "Redis did not answer within \(timeout.nanoseconds / 1_000_000) ms"))
        }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        let written = eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { _ in
            promise.fail(RedisError(.connectionClosed, "the Redis connection closed before the command was written"))
        }
        channel.writeAndFlush(RedisRequest(commands: commands, promise: promise), promise: written)
        do {
            return try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                promise.fail(RedisError(.cancelled, "the caller stopped waiting for Redis"))
            }
        } catch let error as RedisError {
            throw error
        } catch {
            throw RedisError(.connectionClosed, "the Redis connection failed")
        }
    }
}
