import Foundation
import Hummingbird
import PlatformKit

extension AdminRoutes {
    static let catalogKinds: Set<String> = ["modules", "packages", "addons"]

    /// The catalog through Core: read (`catalog.read`); create, update or rename, and retire
    /// (`catalog.write`; retiring is high-risk: `confirm` names the key). Renames, package
    /// changes and retirements carry the item's `expected_version` (optimistic concurrency).
    func addCatalog(to group: RouterGroup<PlatformRequestContext>) {
        group.get("catalog") { request, context in
            try await read(.catalogRead, request, context) { try await core.send(.get, "/internal/v1/catalog") }
        }
        group.post("catalog/{kind}") { request, context in
            let kind = try Self.kind(context)
            let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
            let action = AdminActions.Action(name: "catalog.\(kind).create", permission: .catalogWrite, targetType: kind, target: input.string("key") ?? "?")
            return try await actions.perform(action, input: input, request, context) { admin in
                try await core.send(.post, "/internal/v1/catalog/\(kind)", json: input, actor: admin, idempotencyKey: Self.idempotencyKey(request))
            }
        }
        group.put("catalog/{kind}/{key}") { request, context in
            let kind = try Self.kind(context), key = try Self.key(context)
            let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
            let action = AdminActions.Action(name: "catalog.\(kind).update", permission: .catalogWrite, targetType: kind, target: key)
            return try await actions.perform(action, input: input, request, context) { admin in
                try await core.send(.put, "/internal/v1/catalog/\(kind)/\(key)", json: input, actor: admin,
                                    idempotencyKey: Self.idempotencyKey(request))
            }
        }
        group.post("catalog/{kind}/{key}/retire") { request, context in
            let kind = try Self.kind(context), key = try Self.key(context)
            let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
            let action = AdminActions.Action(name: "catalog.\(kind).retire", permission: .catalogWrite, targetType: kind, target: key,
                                             confirmation: key)
            return try await actions.perform(action, input: input, request, context) { admin in
                try await core.send(.post, "/internal/v1/catalog/\(kind)/\(key)/retire", json: input, actor: admin,
                                    idempotencyKey: Self.idempotencyKey(request))
            }
        }
    }

    static func kind(_ context: PlatformRequestContext) throws -> String {
        guard let kind = context.parameters.get("kind"), catalogKinds.contains(kind) else {
            throw PlatformError(.routeNotFound, "catalog kinds are modules, packages and addons")
        }
        return kind
    }

    static func key(_ context: PlatformRequestContext, _ name: String = "key") throws -> String {
        guard let key = context.parameters.get(name), key.range(of: "^[a-z][a-z0-9_]{1,39}$", options: .regularExpression) != nil else {
            throw PlatformError(.invalidRequest, "\(name) is not a catalog key")
        }
        return key
    }
}
