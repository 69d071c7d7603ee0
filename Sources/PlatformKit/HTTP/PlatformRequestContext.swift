import Foundation
import Hummingbird
import Logging
import NIOCore

/// What the platform middleware needs from a request context. Services may define richer
/// contexts (with their caller's identity or access) by conforming to this protocol.
public protocol PlatformContext: RequestContext {
    /// The request's id and trace context; set first by `RequestLifecycleMiddleware`.
    var trace: RequestTrace { get set }
    /// The largest request body this route accepts.
    var maxBodyBytes: Int { get set }
    /// Shared notes (caller identity) that outer layers read after the handler returns.
    var notes: RequestNotes { get }
    /// The peer's address.
    var remoteAddress: SocketAddress? { get }
}

/// The request context every daemon uses unless it needs more.
public struct PlatformRequestContext: PlatformContext {
    public var coreContext: CoreRequestContextStorage
    public var trace: RequestTrace
    public var maxBodyBytes: Int
    public let notes: RequestNotes
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.trace = RequestTrace(requestID: "", traceID: "", spanID: "", parentSpanID: nil, sampled: false)
        self.maxBodyBytes = 1 << 20
        self.notes = RequestNotes()
        self.remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { maxBodyBytes }
    public var responseEncoder: JSONEncoder { .platform }
}
