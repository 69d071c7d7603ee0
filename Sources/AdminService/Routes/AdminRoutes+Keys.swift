import Foundation
import Hummingbird
import PlatformKit

extension AdminRoutes {
    /// Signing keys: list (`keys.read`), rotate (`keys.rotate`). An emergency rotation retires
    /// the signing key at once (every token it signed stops verifying): high-risk, `confirm`
    /// names the active kid.
    func addKeys(to group: RouterGroup<PlatformRequestContext>) {
        group.get("keys") { request, context in
            try await read(.keysRead, request, context) { try await auth.send(.get, "/internal/v1/keys") }
        }
        group.post("keys/rotate") { request, context in
            let checked = try await gate.require(.keysRotate, request, context)
            let input = try await request.decodeJSON(as: RotateInput.self, context: context)
            let emergency = input.emergency ?? false
            struct Keys: Decodable { struct Key: Decodable { let kid: String; let state: String }; let keys: [Key] }
            let active = try await auth.send(.get, "/internal/v1/keys").decode(Keys.self).keys.first { $0.state == "active" }?.kid ?? "none"
            let action = AdminActions.Action(name: emergency ? "keys.rotate.emergency" : "keys.rotate", permission: .keysRotate,
                                             targetType: "signing_key", target: active, confirmation: emergency ? active : nil)
            return try await actions.perform(action, input: input, request, context, identity: checked) { admin in
                try await auth.send(.post, "/internal/v1/keys/rotate", json: RotateBody(emergency: emergency, reason: input.reason), actor: admin)
            }
        }
    }

    struct RotateBody: Encodable, Sendable {
        let emergency: Bool
        let reason: String?
    }
}
