import Foundation
import Hummingbird
import Logging
import NIOCore
import PlatformKit

extension AdminRoutes {
    /// A company as Auth knows it (the identity side).
    struct CompanyRef: Decodable, Sendable {
        let id: UUID
        let slug: String
    }

    /// Companies: search and view (`companies.read`), create, approve/reject/suspend (`orgs.approve`;
    /// rejecting and suspending are high-risk), subscriptions and add-ons (`subscriptions.write`;
    /// canceling is high-risk). After a Core change Admin also invalidates the company's access in
    /// Auth, so users see it on their next request whatever the state of Core's outbox.
    func addCompanies(to group: RouterGroup<PlatformRequestContext>) {
        group.get("companies") { request, context in
            try await read(.companiesRead, request, context) {
                try await auth.send(.get, "/internal/v1/companies" + Self.query(request, ["query", "status", "limit", "after"]))
            }
        }
        group.post("companies") { request, context in
            let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
            let action = AdminActions.Action(name: "company.create", permission: .orgsApprove, targetType: "company",
                                             target: input.string("slug") ?? "?")
            return try await actions.perform(action, input: input, request, context) { admin in
                try await auth.send(.post, "/internal/v1/companies", json: input, actor: admin)
            }
        }
        group.get("companies/{company}") { request, context in
            _ = try await gate.require(.companiesRead, request, context)
            let company = try await resolve(context)
            let id = company.id.lowercased
            async let identity = auth.send(.get, "/internal/v1/companies/\(id)")
            async let subscription = core.send(.get, "/internal/v1/companies/\(id)/subscription")
            async let entitlements = core.send(.get, "/internal/v1/companies/\(id)/entitlements")
            async let history = core.send(.get, "/internal/v1/companies/\(id)/history?limit=20")
            let parts = try await [("company", identity), ("subscription", subscription), ("entitlements", entitlements), ("history", history)]
            var object: [String: Any] = [:]
            for (name, answer) in parts { object[name] = try answer.json() }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return Upstream.Answer(status: 200, body: ByteBuffer(bytes: data)).response
        }
        group.post("companies/{company}/status") { request, context in
            let checked = try await gate.require(.orgsApprove, request, context)
            let company = try await resolve(context)
            let input = try await request.decodeJSON(as: StatusInput.self, context: context)
            guard ["pending", "approved", "rejected", "suspended"].contains(input.status) else {
                throw PlatformError(.validationFailed, "status is pending, approved, rejected or suspended")
            }
            let action = AdminActions.Action(name: "company.status.\(input.status)", permission: .orgsApprove, targetType: "company",
                                             target: company.slug,
                                             confirmation: ["rejected", "suspended"].contains(input.status) ? company.slug : nil)
            return try await actions.perform(action, input: input, request, context, identity: checked,
                                             before: { try await auth.send(.get, "/internal/v1/companies/\(company.id)") }) { admin in
                try await auth.send(.post, "/internal/v1/companies/\(company.id)/status", json: input.forwarded, actor: admin)
            }
        }
        group.put("companies/{company}/subscription") { request, context in
            let checked = try await gate.require(.subscriptionsWrite, request, context)
            let company = try await resolve(context)
            let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
            return try await coreChange("subscription.set", company, input, request, context, checked) { admin in
                try await core.send(.put, "/internal/v1/companies/\(company.id)/subscription", json: input, actor: admin,
                                    idempotencyKey: Self.idempotencyKey(request))
            }
        }
        group.post("companies/{company}/subscription/cancel") { request, context in
            let checked = try await gate.require(.subscriptionsWrite, request, context)
            let company = try await resolve(context)
            let input = try await request.decodeJSON(as: ReasonInput.self, context: context)
            return try await coreChange("subscription.cancel", company, input, request, context, checked, confirm: true) { admin in
                try await core.send(.post, "/internal/v1/companies/\(company.id)/subscription/cancel", json: input.forwarded, actor: admin,
                                    idempotencyKey: Self.idempotencyKey(request))
            }
        }
        group.put("companies/{company}/addons/{addon}") { request, context in
            let checked = try await gate.require(.subscriptionsWrite, request, context)
            let company = try await resolve(context)
            let addon = try Self.key(context, "addon")
            let input = try await request.decodeJSON(as: PassThroughInput.self, context: context)
            return try await coreChange("addon.set", company, input, request, context, checked) { admin in
                try await core.send(.put, "/internal/v1/companies/\(company.id)/addons/\(addon)", json: input, actor: admin,
                                    idempotencyKey: Self.idempotencyKey(request))
            }
        }
        group.delete("companies/{company}/addons/{addon}") { request, context in
            let checked = try await gate.require(.subscriptionsWrite, request, context)
            let company = try await resolve(context)
            let addon = try Self.key(context, "addon")
            let input = request.headers[.contentType] == nil ? ReasonInput() : try await request.decodeJSON(as: ReasonInput.self, context: context)
            return try await coreChange("addon.remove", company, input, request, context, checked) { admin in
                try await core.send(.delete, "/internal/v1/companies/\(company.id)/addons/\(addon)", json: input.forwarded, actor: admin,
                                    idempotencyKey: Self.idempotencyKey(request))
            }
        }
    }

    /// A subscription or add-on change in Core, then the company's access invalidated in Auth.
    private func coreChange(_ name: String, _ company: CompanyRef, _ input: some AdminInput, _ request: Request,
                            _ context: PlatformRequestContext, _ checked: AdminIdentity, confirm: Bool = false,
                            _ change: @Sendable (AdminIdentity) async throws -> Upstream.Answer) async throws -> Response {
        let action = AdminActions.Action(name: name, permission: .subscriptionsWrite, targetType: "company", target: company.slug,
                                         confirmation: confirm ? company.slug : nil)
        return try await actions.perform(action, input: input, request, context, identity: checked,
                                         before: { try await core.send(.get, "/internal/v1/companies/\(company.id)/subscription") }) { admin in
            let answer = try await change(admin)
            do {
                _ = try await auth.send(.post, "/internal/v1/access/invalidate", json: ["company_id": company.id.lowercased],
                                        actor: admin)
            } catch {
                // The change is made; Core's outbox still signals Auth (a little later).
                actions.logger.warning("access invalidation after a Core change failed", metadata: ["company": .string(company.slug), "error_detail": .detail(of: error)])
            }
            return answer
        }
    }

    /// The company named in the path (id or slug), as Auth knows it; 404 when unknown.
    func resolve(_ context: PlatformRequestContext) async throws -> CompanyRef {
        let name = (context.parameters.get("company") ?? "").lowercased()
        guard name.range(of: "^[a-z0-9-]{2,63}$", options: .regularExpression) != nil else {
            throw PlatformError(.invalidRequest, "company is an id or a slug")
        }
        return try await auth.send(.get, "/internal/v1/companies/\(name)").decode(CompanyRef.self)
    }
}
