import ConsoleModel
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// Reads the certificate each public endpoint serves (a TLS handshake with its name as SNI)
/// and reports its expiry. The certificate is read, not trusted: expiry is what this shows;
/// trust and hostnames are the blackbox probes' job. Names under `.localhost` are dialled on
/// loopback (RFC 6761), as browsers do. Every handshake has its own deadline.
public struct CertificateCollector: Sendable {
    public let timeout: Duration

    public init(timeout: Duration = .seconds(3)) {
        self.timeout = timeout
    }

    /// Every HTTPS endpoint of `targets`, concurrently.
    public func checkAll(_ targets: [Target]) async -> [CertificateCheck] {
        let endpoints = CertificateCheck.endpoints(of: targets)
        return await withTaskGroup(of: (Int, CertificateCheck).self) { group in
            for (index, endpoint) in endpoints.enumerated() {
                group.addTask { (index, await check(host: endpoint.host, port: endpoint.port)) }
            }
            var checks: [(Int, CertificateCheck)] = []
            for await check in group { checks.append(check) }
            return checks.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The certificate `host:port` serves for `host`.
    public func check(host: String, port: Int) async -> CertificateCheck {
        do {
            return CertificateCheck(host: host, port: port, notAfter: try await Self.handshake(host: host, port: port, timeout: timeout))
        } catch let failure as CertificateReadFailed {
            return CertificateCheck(host: host, port: port, notAfter: nil, problem: failure.reason)
        } catch {
            return CertificateCheck(host: host, port: port, notAfter: nil, problem: String("\(error)".prefix(120)))
        }
    }

    /// Connects and shakes hands, both within one `timeout` (the connection is closed at the
    /// deadline, so nothing waits past it; cancelling ends the wait too).
    private static func handshake(host: String, port: Int, timeout: Duration) async throws -> Double {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        let context = try NIOSSLContext(configuration: configuration)
        let address = host == "localhost" || host.hasSuffix(".localhost") ? "127.0.0.1" : host
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let handshaken = loop.makePromise(of: Double.self)
        let limit = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        let deadline = NIODeadline.now() + limit  // one deadline for the connect and the handshake
        // SNI carries names only (an address is dialled without one).
        let serverName: String? = Self.isAddress(host) ? nil : host
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(limit)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let tls = try NIOSSLClientHandler(context: context, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(tls)
                        try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(tls: tls, done: handshaken))
                    }
                }
                .connect(host: address, port: port).get()
        } catch {
            handshaken.fail(error)
            throw CertificateReadFailed(reason: String("cannot connect: \(error)".prefix(120)))
        }
        let expiry = loop.scheduleTask(deadline: deadline) { handshaken.fail(CertificateReadFailed(reason: "no handshake within \(timeout)")) }
        channel.closeFuture.whenComplete { _ in handshaken.fail(CertificateReadFailed(reason: "closed before the handshake ended")) }
        defer {
            expiry.cancel()
            channel.close(promise: nil)
        }
        // The console quitting ends the wait at once.
        return try await withTaskCancellationHandler {
            try await handshaken.futureResult.get()
        } onCancel: {
            handshaken.fail(CancellationError())
        }
    }

    static func isAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

/// Completes `done` with the peer certificate's notAfter once the handshake has ended.
private final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    let tls: NIOSSLClientHandler
    let done: EventLoopPromise<Double>

    init(tls: NIOSSLClientHandler, done: EventLoopPromise<Double>) {
        self.tls = tls
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            if let certificate = tls.peerCertificate {
                done.succeed(Double(certificate.notValidAfter))
            } else {
                done.fail(CertificateReadFailed(reason: "the server sent no certificate"))
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(CertificateReadFailed(reason: String("TLS: \(error)".prefix(120))))
        context.close(promise: nil)
    }
}

/// Why a certificate could not be read.
struct CertificateReadFailed: Error {
    let reason: String
}
