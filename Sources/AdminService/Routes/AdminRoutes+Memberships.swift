import Foundation
import Hummingbird
import PlatformKit

extension AdminRoutes {
    /// Users, memberships, company roles and delegations, administered in Auth: reads need
    /// `users.read` or `companies.read`; changes need `memberships.manage` (creating users
    /// `users.manage`). Bodies pass to Auth as they are; Auth validates them, bumps the access
    /// versions they affect and records the acting administrator.
    func addMemberships(to group: RouterGroup<PlatformRequestContext>) {
        group.post("users") { request, context in
            let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
            let action = AdminActions.Action(name: "user.create", permission: .usersManage, targetType: "user", target: input.string("email") ?? "?")
            return try await actions.perform(action, input: input, request, context) { admin in
                try await auth.send(.post, "/internal/v1/users", json: input, actor: admin)
            }
        }
        group.post("memberships") { request, context in
            let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
            let action = AdminActions.Action(name: "membership.create", permission: .membershipsManage, targetType: "user",
                                             target: input.string("user_id") ?? "?")
            return try await actions.perform(action, input: input, request, context) { admin in
                try await auth.send(.post, "/internal/v1/memberships", json: input, actor: admin)
            }
        }
        group.get("memberships/{membership}") { request, context in
            let membership = try context.uuidParameter("membership")
            return try await read(.usersRead, request, context) { try await auth.send(.get, "/internal/v1/memberships/\(membership)") }
        }
        for (method, suffix, name) in [(HTTPRequest.Method.put, "roles", "membership.roles"), (.put, "modules", "membership.modules"),
                                       (.post, "status", "membership.status")] {
            group.on("memberships/{membership}/\(suffix)", method: method) { request, context in
                let membership = try context.uuidParameter("membership")
                let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
                let action = AdminActions.Action(name: name, permission: .membershipsManage, targetType: "membership",
                                                 target: membership.lowercased)
                return try await actions.perform(action, input: input, request, context) { admin in
                    try await auth.send(method, "/internal/v1/memberships/\(membership)/\(suffix)", json: input, actor: admin)
                }
            }
        }
        group.get("companies/{company}/roles") { request, context in
            _ = try await gate.require(.companiesRead, request, context)
            let company = try await resolve(context)
            return try await auth.send(.get, "/internal/v1/companies/\(company.id)/roles").response
        }
        group.post("companies/{company}/roles") { request, context in
            let checked = try await gate.require(.membershipsManage, request, context)
            let company = try await resolve(context)
            let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
            let action = AdminActions.Action(name: "role.create", permission: .membershipsManage, targetType: "role",
                                             target: "\(company.slug)/\(input.string("key") ?? "?")")
            return try await actions.perform(action, input: input, request, context, identity: checked) { admin in
                try await auth.send(.post, "/internal/v1/companies/\(company.id)/roles", json: input, actor: admin)
            }
        }
        for (method, name) in [(HTTPRequest.Method.put, "role.update"), (.delete, "role.delete")] {
            group.on("companies/{company}/roles/{key}", method: method) { request, context in
                let checked = try await gate.require(.membershipsManage, request, context)
                let company = try await resolve(context)
                guard let key = context.parameters.get("key"), key.range(of: "^[a-z][a-z0-9_-]{1,62}$", options: .regularExpression) != nil else {
                    throw PlatformError(.invalidRequest, "key is not a role key")
                }
                let input = method == .delete && request.headers[.contentType] == nil
                    ? try PassThroughInput(fields: [:]) : try await request.decodeJSON(as: PassThroughInput.self, context: context)
                let action = AdminActions.Action(name: name, permission: .membershipsManage, targetType: "role", target: "\(company.slug)/\(key)")
                return try await actions.perform(action, input: input, request, context, identity: checked) { admin in
                    try await auth.send(method, "/internal/v1/companies/\(company.id)/roles/\(key)",
                                        json: method == .delete ? nil : input, actor: admin)
                }
            }
        }
        group.post("delegations") { request, context in
            let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
            let action = AdminActions.Action(name: "delegation.create", permission: .membershipsManage, targetType: "membership",
                                             target: input.string("to_membership_id") ?? "?")
            return try await actions.perform(action, input: input, request, context) { admin in
                try await auth.send(.post, "/internal/v1/delegations", json: input, actor: admin)
            }
        }
        group.post("delegations/{delegation}/revoke") { request, context in
            let delegation = try context.uuidParameter("delegation")
            let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
            let action = AdminActions.Action(name: "delegation.revoke", permission: .membershipsManage, targetType: "delegation",
                                             target: delegation.lowercased)
            return try await actions.perform(action, input: input, request, context) { admin in
                try await auth.send(.post, "/internal/v1/delegations/\(delegation)/revoke", json: input, actor: admin)
            }
        }
    }
}
