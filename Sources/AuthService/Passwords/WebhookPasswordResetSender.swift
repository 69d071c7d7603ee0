import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PlatformKit
import Prometheus
import ServiceLifecycle

/// The production sender: hands each reset message to the mail provider's relay as a signed
/// webhook (`POST {PASSWORD_RESET_WEBHOOK_URL}` with `{"to", "kind", "link"}`, header
/// `x-kisum-signature: t={unix},v1={hex HMAC-SHA256(secret, "{t}.{body}")}`).
///
/// Delivery runs as a background service off the request path, so a reset request for an
/// existing account answers as fast as one for an unknown email. The queue is bounded
/// (overflow is dropped and counted); each message is tried three times with backoff. Nothing
/// is stored and the token never reaches a log line.
public final class WebhookPasswordResetSender: PasswordResetSender, Service {
    struct Message: Sendable {
        let to: String
        let link: String
    }

    let url: String
    let secret: SymmetricKey
    let linkBase: String
    let metrics: PlatformMetrics
    let logger: Logger
    let client: HTTPClient
    private let stream: AsyncStream<Message>
    private let continuation: AsyncStream<Message>.Continuation

    public init(url: String, secret: String, linkBase: String, metrics: PlatformMetrics, logger: Logger,
                client: HTTPClient = .shared, capacity: Int = 1_000) {
        self.url = url
        self.secret = SymmetricKey(data: Data(secret.utf8))
        self.linkBase = linkBase
        self.metrics = metrics
        self.logger = logger
        self.client = client
        (stream, continuation) = AsyncStream.makeStream(of: Message.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    public func send(token: String, to email: String) async throws {
        if case .dropped = continuation.yield(Message(to: email, link: linkBase + token)) {
            record("dropped")
            logger.error("password reset queue full: message dropped")
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await message in self.stream {
                await self.deliver(message)
            }
        }
    }

    func deliver(_ message: Message) async {
        for attempt in 1...3 {
            do {
                let status = try await post(message)
                if (200..<300).contains(status) { record("delivered"); return }
                logger.warning("password reset relay refused the message", metadata: ["status": .stringConvertible(status),
                                                                                      "attempt": .stringConvertible(attempt)])
                if (400..<500).contains(status) && status != 429 { break }
            } catch {
                logger.warning("password reset relay unreachable", metadata: ["attempt": .stringConvertible(attempt),
                                                                             "error_type": .type(of: error), "error_detail": .detail(of: error)])
            }
            if attempt < 3 { try? await Task.sleep(for: .milliseconds(500 * (1 << attempt))) }
        }
        record("failed")
    }

    private func post(_ message: Message) async throws -> Int {
        let body = try JSONSerialization.data(withJSONObject: ["to": message.to, "kind": "password_reset", "link": message.link],
                                              options: [.sortedKeys, .withoutEscapingSlashes])
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + ".").utf8) + body, using: secret)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "x-kisum-signature", value: "t=\(timestamp),v1=" + mac.hexEncoded)
        request.body = .bytes(ByteBuffer(bytes: body))
        let (response, _) = try await client.exchange(request, timeout: .seconds(5), maxBytes: 64 * 1024)
        return Int(response.status.code)
    }

    private func record(_ outcome: String) {
        metrics.counter("kisum_auth_password_reset_messages_total", help: "Password-reset messages handed to the relay, by outcome.",
                        labels: [("outcome", outcome)]).increment()
    }
}
