import NIOCore

/// Encodes requests with hiredis, matches replies to requests in order (so any number of
/// batches can be in flight: pipelining), and bounds each batch by the command timeout. A
/// timeout poisons the connection (a late reply would be matched to the wrong request), so
/// the handler fails everything pending and closes the channel.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        let id: UInt64
        let promise: EventLoopPromise<[RESPValue]>
        var remaining: Int
        var replies: [RESPValue]
        var timer: Scheduled<Void>?
    }

    private let codec = HiredisCodec()
    private let timeout: TimeAmount
    private var queue = CircularBuffer<Pending>()
    private var nextID: UInt64 = 0
    private var context: ChannelHandlerContext?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(RedisError(.connectionClosed, "the Redis connection closed"))
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard context.channel.isActive else {
            request.promise.fail(RedisError(.connectionClosed, "the Redis connection is closed"))
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 64 * request.commands.count)
        for command in request.commands { HiredisCodec.encode(command, into: &buffer) }
        nextID &+= 1
        let id = nextID
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            timedOut(id)
        }
        queue.append(Pending(id: id, promise: request.promise, remaining: request.commands.count, replies: [], timer: timer))
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            try codec.feed(unwrapInboundIn(data))
            while let reply = try codec.nextReply() {
                guard var head = queue.popFirst() else {
                    throw RedisError(.protocolError, "Redis sent a reply nobody asked for")
                }
                head.replies.append(reply)
                head.remaining -= 1
                if head.remaining == 0 {
                    head.timer?.cancel()
                    head.promise.succeed(head.replies)
                } else {
                    queue.prepend(head)
                }
            }
        } catch {
            let failure = error as? RedisError ?? RedisError(.protocolError, "unreadable reply")
            failAll(failure)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RedisError(.connectionClosed, "the Redis connection closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(RedisError(.connectionClosed, "the Redis connection failed"))
        context.close(promise: nil)
    }

    private func timedOut(_ id: UInt64) {
        guard queue.contains(where: { $0.id == id }) else { return }
        failAll(RedisError(.timeout, "Redis did not answer within \(timeout.nanoseconds / 1_000_000) ms"))
        context?.close(promise: nil)
    }

    private func failAll(_ error: RedisError) {
        while let pending = queue.popFirst() {
            pending.timer?.cancel()
            pending.promise.fail(error)
        }
    }
}
