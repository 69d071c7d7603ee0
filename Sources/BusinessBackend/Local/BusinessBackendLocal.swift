import Foundation
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import PlatformDaemon
import PlatformKit

/// Demo data for `./kisum up`, written through a backend's own routes as a demo company's owner
/// would (the local setup points every enforcing daemon at Auth: `LocalTopology.accessEnvironment`).
public enum BusinessBackendLocal {
    /// Runs `seed` once per state folder for each demo company in `slugs` (those entitled to
    /// the backend's module), signed in as that company's owner (Auth's demo users; their
    /// password is in the state folder's secrets).
    public static func seedOnce(_ service: String, topology: LocalTopology, state: URL, companies slugs: [String],
                                _ seed: (DemoSession) async throws -> Void) async throws {
        guard let auth = topology.publicURLs["auth"], let base = topology.publicURLs[service],
              // A state folder an earlier release seeded (one marker per service) is left as it is.
              !FileManager.default.fileExists(atPath: state.appendingPathComponent("run/\(service).seeded").path) else { return }
        let password = try String(contentsOf: state.appendingPathComponent("secrets/demo-users.password"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // One marker per company: a run that failed part-way seeds only the companies it missed.
        for slug in slugs {
            let marker = state.appendingPathComponent("run/\(service).\(slug).seeded")
            if FileManager.default.fileExists(atPath: marker.path) { continue }
            let login = try await ServiceHTTPClient(callee: "auth", baseURL: auth)
                .send(.post, "/auth/login", json: ["email": "\(slug)@demo.kisum.local", "password": password])
            guard login.status == 200, let token = try? login.decode(Token.self).accessToken else {
                throw DemoSeedError("signing in as \(slug)@demo.kisum.local: auth answered \(login.status)")
            }
            try await seed(DemoSession(client: ServiceHTTPClient(callee: service, baseURL: base), token: token, org: slug))
            _ = FileManager.default.createFile(atPath: marker.path, contents: Data())
        }
    }

    struct Token: Decodable {
        let accessToken: String
        enum CodingKeys: String, CodingKey { case accessToken = "access_token" }
    }
}

/// A demo owner's session against one backend.
public struct DemoSession: Sendable {
    let client: ServiceHTTPClient
    let token: String
    /// The demo company's slug (`acme`, `beacon`, `cobalt`).
    public let org: String

    /// POSTs `body` to `path` as the owner in their company; returns the created id.
    @discardableResult
    public func create(_ path: String, _ body: some Encodable & Sendable, idempotencyKey: String? = nil) async throws -> String? {
        try await send(.post, path, body, extra: idempotencyKey.map { [("idempotency-key", $0)] } ?? [])
    }

    /// PUTs `body` to `path` as the owner in their company.
    public func put(_ path: String, _ body: some Encodable & Sendable) async throws {
        _ = try await send(.put, path, body, extra: [])
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, _ body: some Encodable & Sendable, extra: [(String, String)]) async throws
        -> String? {
        let reply = try await client.send(method, path, json: body, headers: [("authorization", "Bearer \(token)"), ("x-org", org)] + extra)
        guard (200..<300).contains(reply.status) else {
            throw DemoSeedError("\(path) answered \(reply.status): \(String(buffer: reply.body))")
        }
        return (try? JSONSerialization.jsonObject(with: Data(buffer: reply.body)) as? [String: Any])?["id"] as? String
    }
}

struct DemoSeedError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
