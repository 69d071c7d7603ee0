import AccessControl
import Foundation
import Hummingbird
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import PlatformRedis

/// The platform kit's reference daemon: the smallest service that uses every part of the
/// kit (database, cache with database fallback, internal routes, outgoing service calls).
/// Smoke tests and the kit's own tests drive it; it owns no business data.
public struct CanaryDaemon: DaemonApplication {
    public static let descriptor = DaemonDescriptor(
        name: "canary", publicPort: 8190, managementPort: 9190, databasePrefix: "CANARY", redis: .optional,
        callsServices: true, servesInternalRoutes: true, access: .optional,
        extraKeys: [
            ConfigKey("CANARY_PEER_URL", .url(schemes: ["http", "https"]), .optional,
                      summary: "Management URL of a peer canary for the relay route"),
        ])

    public static var migrations: MigrationSet? {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return nil }
        return try? MigrationSet(database: "canary", directory: folder)
    }

    let context: DaemonContext
    let notes: NoteRepository

    public init(context: DaemonContext) async throws {
        self.context = context
        self.notes = NoteRepository(database: context.database!, cache: context.redis, logger: context.logger)
    }

    public func addPublicRoutes(to router: Router<PlatformRequestContext>) {
        let group = router.group("/v1")
        group.get("echo") { _, context in
            EchoReply(requestID: context.trace.requestID, traceID: context.trace.traceID,
                      parentSpanID: context.trace.parentSpanID, caller: nil, message: nil)
        }
        group.post("echo") { request, context in
            let input = try await request.decodeJSON(as: EchoInput.self, context: context)
            guard (1...200).contains(input.message.count) else {
                throw PlatformError(.validationFailed, "message must be 1 to 200 characters")
            }
            return EchoReply(requestID: context.trace.requestID, traceID: context.trace.traceID,
                             parentSpanID: context.trace.parentSpanID, caller: nil, message: input.message)
        }
        group.get("slow") { request, _ in
            let millis = min(max(request.uri.queryParameters.get("ms", as: Int.self) ?? 100, 0), 5000)
            try await Task.sleep(for: .milliseconds(millis))
            return ["slept_ms": millis]
        }
        group.post("notes") { [notes] request, context in
            let input = try await request.decodeJSON(as: NoteInput.self, context: context)
            guard (1...500).contains(input.body.count) else {
                throw PlatformError(.validationFailed, "body must be 1 to 500 characters")
            }
            return try await notes.create(body: input.body)
        }
        group.get("notes/{id}") { [notes] _, context in try await notes.read(context.parameters.get("id")) }
        // The same read behind the shared access layer: a member of the x-org company with
        // core_app and core_app.projects.read (the reference for every business backend).
        if let access = context.access {
            router.enforced("/v1/enforced", by: access.enforcer)
                .requires(module: "core_app", permission: "core_app.projects.read")
                .get("notes/{id}") { [notes] _, context in try await notes.read(context.parameters.get("id")) }
        }
    }

    public func addManagementRoutes(to router: Router<PlatformRequestContext>) {
        router.addAPIDocument(Bundle.module.url(forResource: "OpenAPI/canary.openapi", withExtension: "yaml"),
                              enforced: context.access?.enforcer.declaredRoutes)
        let internalRoutes = context.internalRoutes(on: router, path: "/internal/v1")
        internalRoutes.get("whoami") { _, context in
            EchoReply(requestID: context.trace.requestID, traceID: context.trace.traceID,
                      parentSpanID: context.trace.parentSpanID, caller: context.notes.serviceCaller, message: nil)
        }
        internalRoutes.post("relay") { [context = self.context] _, _ in
            guard let peer = context.configuration.string("CANARY_PEER_URL") else {
                throw PlatformError(.notFound, "no peer configured")
            }
            let reply = try await context.client(for: "canary", baseURL: peer).send(.get, "/internal/v1/whoami")
            guard reply.status == 200 else {
                throw PlatformError(.dependencyUnavailable, "peer answered \(reply.status)")
            }
            return try reply.decode(EchoReply.self)
        }
    }
}

struct EchoInput: Decodable {
    let message: String
}

struct NoteInput: Decodable {
    let body: String
}

/// What the echo routes answer: the ids the kit assigned to the request.
public struct EchoReply: Codable, ResponseEncodable, Sendable {
    public let requestID: String
    public let traceID: String
    public let parentSpanID: String?
    public let caller: String?
    public let message: String?

    enum CodingKeys: String, CodingKey {
        case message, caller
        case requestID = "request_id"
        case traceID = "trace_id"
        case parentSpanID = "parent_span_id"
    }
}
