import Foundation
import Hummingbird
import NIOCore
import PlatformDaemon
import PlatformKit

/// The JWKS (public) and key management (internal, Admin only).
struct KeyRoutes: Sendable {
    /// Writes return once this instance's access memory shows them.
    let feed: AccessFeedPublisher
    let store: SigningKeyStore
    let ring: KeyRing
    let jwksCache: Duration
    let publishDelay: Duration
    let audit: any SessionRepository

    func addPublic(to router: Router<PlatformRequestContext>) {
        let cacheControl = "public, max-age=\(Int(jwksCache.secondsValue))"
        router.get("/.well-known/jwks.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: cacheControl],
                     body: .init(byteBuffer: try ring.jwksBody()))
        }
    }

    func addInternal(to router: Router<PlatformRequestContext>, context: DaemonContext) {
        let admin = context.internalRoutes(on: router, path: "/internal/v1", callers: ["admin"])
            .add(middleware: SettlesAccessMemory(feed: feed))
        admin.get("keys") { _, _ in
            KeyList(keys: ring.published.map {
                KeyList.Entry(kid: $0.material.kid, state: $0.state, createdAt: $0.createdAt, activateAt: $0.activateAt, retireAt: $0.retireAt)
            })
        }
        admin.post("keys/rotate") { request, context in
            struct Input: Decodable { var emergency: Bool?; var reason: String? }
            let input = try await request.decodeJSON(as: Input.self, context: context)
            let kid = try await store.rotate(emergency: input.emergency ?? false, publishDelay: publishDelay)
            try await ring.reload { try await store.liveKeys() }
            try await audit.recordAdmin(input.emergency == true ? "key_rotation_emergency" : "key_rotation", target: kid,
                                        request: request, context: context, details: ["reason": input.reason ?? ""])
            return ["kid": kid, "emergency": String(input.emergency ?? false)]
        }
    }
}

/// `GET /internal/v1/keys`.
struct KeyList: Codable, Sendable, ResponseEncodable {
    struct Entry: Codable, Sendable {
        var kid: String
        var state: KeyState
        var createdAt: Date
        var activateAt: Date
        var retireAt: Date?

        enum CodingKeys: String, CodingKey {
            case kid, state
            case createdAt = "created_at"
            case activateAt = "activate_at"
            case retireAt = "retire_at"
        }
    }

    var keys: [Entry]
}
