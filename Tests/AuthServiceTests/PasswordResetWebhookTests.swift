import AuthService
import Crypto
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationCompat
import PlatformDaemon
import PlatformKit
import PlatformTesting
import Testing
import ServiceWorlds

/// A mail relay standing in for the provider: records what it receives, or refuses.
struct RelayStandIn: DaemonApplication {
    static let descriptor = DaemonDescriptor(
        name: "relay", publicPort: 0, managementPort: 0, databasePrefix: nil, redis: .none,
        callsServices: false, servesInternalRoutes: false)

    struct Received: Sendable {
        let body: Data
        let signature: String
    }

    static let received = NIOLockedValueBox<[String: [Received]]>([:])
    static let failuresLeft = NIOLockedValueBox<[String: Int]>([:])

    let instance: String
    init(context: DaemonContext) async throws { instance = context.configuration.string("KISUM_INSTANCE") ?? "" }

    func addPublicRoutes(to router: Router<PlatformRequestContext>) {
        router.post("/messages") { [instance] request, _ in
            let body = Data(buffer: try await request.body.collect(upTo: 65_536))
            let failing = Self.failuresLeft.withLockedValue { left -> Bool in
                guard let count = left[instance], count > 0 else { return false }
                left[instance] = count - 1
                return true
            }
            if failing { return Response(status: .serviceUnavailable) }
            Self.received.withLockedValue {
                $0[instance, default: []].append(Received(body: body, signature: request.headers[values: .init("x-kisum-signature")!].first ?? ""))
            }
            return Response(status: .accepted)
        }
    }
}

@Suite struct PasswordResetWebhookTests {
    @Test func theWebhookSenderDeliversASignedLinkThatResetsThePassword() async throws {
        let instance = UUID().uuidString
        RelayStandIn.failuresLeft.withLockedValue { $0[instance] = 1 }  // the first attempt fails: retried
        try await Daemon.with(RelayStandIn.self, environment: DaemonEnvironment.base(["KISUM_INSTANCE": instance]),
                              sink: MemoryLogSink()) { relay in
            let secret = String(repeating: "k", count: 40)
            try await AuthHarness.with([
                "PASSWORD_RESET_SENDER": "webhook", "PASSWORD_RESET_WEBHOOK_URL": relay.publicURL! + "/messages",
                "PASSWORD_RESET_WEBHOOK_SECRET": secret, "PASSWORD_RESET_LINK_BASE": "https://app.kisum.test/reset?token=",
            ]) { auth in
                #expect(try await eventually(within: .seconds(30)) { try await TestHTTP.get(auth.daemon.managementURL + "/ready").status == 200 })
                #expect(try await auth.call("POST", "/internal/v1/users", body: #"{"email":"mo@example.com","password":"first-password"}"#).status == 200)

                let json = [("content-type", "application/json")]
                let requested = try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/password-reset/request", headers: json,
                                                        body: #"{"email":"mo@example.com"}"#)
                #expect(requested.status == 202)
                #expect(try await eventually(within: .seconds(10)) { RelayStandIn.received.withLockedValue { $0[instance]?.count == 1 } })
                let message = try #require(RelayStandIn.received.withLockedValue { $0[instance]?.first })

                // The signature verifies with the shared secret over "t.body".
                let parts = Dictionary(uniqueKeysWithValues: message.signature.split(separator: ",").compactMap { part -> (String, String)? in
                    let pair = part.split(separator: "=", maxSplits: 1)
                    return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
                })
                let expected = HMAC<SHA256>.authenticationCode(for: Data(((parts["t"] ?? "") + ".").utf8) + message.body,
                                                               using: SymmetricKey(data: Data(secret.utf8)))
                #expect(parts["v1"] == expected.map { String(format: "%02x", $0) }.joined())

                let body = try #require(try JSONSerialization.jsonObject(with: message.body) as? [String: String])
                #expect(body["to"] == "mo@example.com" && body["kind"] == "password_reset")
                let link = try #require(body["link"])
                #expect(link.hasPrefix("https://app.kisum.test/reset?token=pr_"))
                let token = String(link.dropFirst("https://app.kisum.test/reset?token=".count))
                let confirmed = try await TestHTTP.send("POST", auth.daemon.publicURL! + "/auth/password-reset/confirm", headers: json,
                                                        body: #"{"token":"\#(token)","new_password":"second-password"}"#)
                #expect(confirmed.status == 200)
                // Nothing was stored in the outbox, and the token never reached a log line.
                #expect(try await auth.database.rows("SELECT count(*) FROM outgoing_messages").first?[0] == "0")
                #expect(!auth.logs.lines.contains { $0.contains(token) })
                let metrics = try await TestHTTP.get(auth.daemon.managementURL + "/metrics").body
                #expect(metricValue(metrics, #"kisum_auth_password_reset_messages_total{outcome="delivered"}"#) == 1)
            }
        }
    }

    @Test func theOutboxSenderIsRefusedOutsideLocalAndDev() async throws {
        do {
            // Production-grade Argon2, so the sender is the only problem left.
            let auth = try await AuthHarness.start(["KISUM_ENV": "production", "PASSWORD_ARGON2_MEMORY_KIB": "19456",
                                                    "PASSWORD_ARGON2_ITERATIONS": "2"])
            try? await auth.stop()
            Issue.record("Auth started in production with the outbox sender")
        } catch {
            #expect("\(error)".contains("PASSWORD_RESET_SENDER"), "\(error)")
        }
    }
}
