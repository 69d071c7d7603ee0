import Foundation
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import PlatformKit
import ServiceAuth

/// The spec's post-deployment smoke test, over HTTP only, as an on-call engineer or a
/// deployment pipeline runs it: Auth and Core ready, sign-in, `/auth/me`, `/auth/me/access`,
/// Core's entitlement read, and "an admin subscription change invalidates access" (the add-on
/// is removed through Admin, the user's access must follow, then it is restored exactly as it
/// was), and with Basic's URL a request its access layer allows and one it refuses.
public struct SmokeRun: Sendable {
    let target: SmokeTarget
    /// How long access may take to follow an admin change.
    let propagationLimit: Duration

    public init(target: SmokeTarget, propagationLimit: Duration = .seconds(1)) {
        self.target = target
        self.propagationLimit = propagationLimit
    }

    public func run() async -> [SmokeResult] {
        var results: [SmokeResult] = []
        func step(_ name: String, _ body: () async throws -> String) async -> Bool {
            let start = ContinuousClock.now
            let outcome: (SmokeResult.Outcome, String)
            do { outcome = (.passed, try await body()) } catch { outcome = (.failed, "\(error)") }
            results.append(SmokeResult(name: name, outcome: outcome.0, detail: outcome.1,
                                       milliseconds: Int((ContinuousClock.now - start).secondsValue * 1000)))
            return outcome.0 == .passed
        }
        let auth = ServiceHTTPClient(callee: "auth", baseURL: target.authURL, timeout: .seconds(5))
        let admin = ServiceHTTPClient(callee: "admin", baseURL: target.adminURL, timeout: .seconds(10))
        let core = ServiceHTTPClient(callee: "core", baseURL: target.coreManagementURL, timeout: .seconds(5),
                                     credentials: await ServiceCredentialSigner(service: "admin", key: target.serviceKey))

        _ = await step("auth ready") { try await ready(target.authManagementURL) }
        _ = await step("core ready") { try await ready(target.coreManagementURL) }
        var user = "", company = ""
        guard await step("login", { user = try await login(auth, target.userEmail, target.userPassword); return target.userEmail }) else {
            return results
        }
        _ = await step("/auth/me") {
            let me = try await json(auth.send(.get, "/auth/me", headers: [("authorization", "Bearer \(user)")]))
            let memberships = me["memberships"] as? [[String: Any]] ?? []
            guard let membership = memberships.first(where: { $0["company_slug"] as? String == target.company }),
                  let id = membership["company_id"] as? String else { throw SmokeFailure("not a member of \(target.company)") }
            company = id
            return "member of \(target.company)"
        }
        var before: [String] = []
        _ = await step("/auth/me/access") {
            before = try await modules(auth, user)
            return "modules " + before.joined(separator: ", ")
        }
        _ = await step("core entitlement read") {
            guard !company.isEmpty else { throw SmokeFailure("company unknown (see /auth/me)") }
            let body = try await json(core.send(.get, "/internal/v1/companies/\(company)/entitlements"))
            return "entitlement version \(body["entitlement_version"] as? Int ?? -1)"
        }
        if let backendURL = target.backendURL {
            let basic = ServiceHTTPClient(callee: "basic", baseURL: backendURL, timeout: .seconds(5))
            _ = await step("backend permission-allowed request") {
                let reply = try await basic.send(.get, "/v1/contacts?limit=1", headers: [("authorization", "Bearer \(user)"), ("x-org", target.company)])
                guard reply.status == 200 else { throw SmokeFailure("basic answered \(reply.status): \(String(buffer: reply.body).prefix(300))") }
                return "GET /v1/contacts in \(target.company): 200"
            }
            _ = await step("backend permission-denied request") {
                // A company the user is not a member of (invented: the answer never says whether it exists).
                let other = "smoke-\(UInt32.random(in: 1...UInt32.max))"
                let reply = try await basic.send(.get, "/v1/contacts?limit=1", headers: [("authorization", "Bearer \(user)"), ("x-org", other)])
                // Refused by the access layer for the reason it must be, not any 403 on the way.
                let code = (try? JSONSerialization.jsonObject(with: Data(buffer: reply.body)) as? [String: Any])
                    .flatMap { ($0["error"] as? [String: Any])?["code"] as? String }
                guard reply.status == 403, code == "x_org_forbidden" else {
                    throw SmokeFailure("basic answered \(reply.status) \(code ?? "-") for a company the user is not in, not 403 x_org_forbidden")
                }
                return "GET /v1/contacts in another company: 403 x_org_forbidden"
            }
        } else {
            for name in ["backend permission-allowed request", "backend permission-denied request"] {
                results.append(SmokeResult(name: name, outcome: .skipped, detail: "no business backend URL given (--backend)", milliseconds: 0))
            }
        }
        var token = ""
        guard await step("admin login", { token = try await login(auth, target.adminEmail, target.adminPassword); return target.adminEmail }) else {
            return results
        }
        _ = await step("admin subscription change invalidates access") {
            try await toggleAddon(admin: admin, auth: auth, adminToken: token, userToken: user, had: before.contains(target.module))
        }
        return results
    }

    /// Removes (or adds) the add-on, waits for the user's access to follow, then restores it.
    private func toggleAddon(admin: ServiceHTTPClient, auth: ServiceHTTPClient, adminToken: String, userToken: String,
                             had: Bool) async throws -> String {
        let bearer = [("authorization", "Bearer \(adminToken)")]
        let state = try await json(admin.send(.get, "/admin/v1/companies/\(target.company)", headers: bearer))
        let addons = (state["subscription"] as? [String: Any])?["addons"] as? [[String: Any]] ?? []
        let original = addons.first { $0["addon_key"] as? String == target.addon }
        let path = "/admin/v1/companies/\(target.company)/addons/\(target.addon)"
        let reason = ["reason": "smoke test (restored at once)"]
        func restore() async throws {
            if let original, let period = original["period"] as? [String: Any], let start = period["start"] as? String,
               let status = original["status"] as? String {
                var body = ["status": status, "period_start": start, "reason": "smoke test: restore"]
                if let end = period["end"] as? String { body["period_end"] = end }
                _ = try await expect(admin.send(.put, path, json: body, headers: bearer), 200)
            } else {
                _ = try await expect(admin.send(.delete, path, json: reason, headers: bearer), 200)
            }
        }
        if had {
            _ = try await expect(admin.send(.delete, path, json: reason, headers: bearer), 200)
        } else {
            let body = ["status": "active", "period_start": ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60)),
                        "reason": "smoke test (restored at once)"]
            _ = try await expect(admin.send(.put, path, json: body, headers: bearer), 200)
        }
        let changed = ContinuousClock.now
        var followed = false
        while ContinuousClock.now - changed < propagationLimit {
            if try await modules(auth, userToken).contains(target.module) != had { followed = true; break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let elapsed = Int((ContinuousClock.now - changed).secondsValue * 1000)
        try await restore()
        guard followed else { throw SmokeFailure("access still \(had ? "had" : "lacked") \(target.module) after \(elapsed) ms (add-on restored)") }
        return "\(target.module) \(had ? "removed" : "added") in \(elapsed) ms, then restored"
    }

    private func ready(_ base: String) async throws -> String {
        let reply = try await ServiceHTTPClient(callee: "ready", baseURL: base, timeout: .seconds(5)).send(.get, "/ready")
        guard reply.status == 200 else { throw SmokeFailure("/ready answered \(reply.status): \(String(buffer: reply.body).prefix(300))") }
        return "ready"
    }

    private func login(_ auth: ServiceHTTPClient, _ email: String, _ password: String) async throws -> String {
        let body = try await json(expect(auth.send(.post, "/auth/login", json: ["email": email, "password": password]), 200))
        guard let token = body["access_token"] as? String else { throw SmokeFailure("no access_token") }
        return token
    }

    private func modules(_ auth: ServiceHTTPClient, _ token: String) async throws -> [String] {
        let body = try await json(expect(auth.send(.get, "/auth/me/access", headers: [("authorization", "Bearer \(token)"),
                                                                                      ("x-org", target.company)]), 200))
        return (body["modules"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
    }

    private func expect(_ reply: ServiceHTTPClient.Reply, _ status: Int) throws -> ServiceHTTPClient.Reply {
        guard reply.status == status else { throw SmokeFailure("HTTP \(reply.status): \(String(buffer: reply.body).prefix(300))") }
        return reply
    }

    private func json(_ reply: ServiceHTTPClient.Reply) throws -> [String: Any] {
        guard reply.status == 200, let object = try? JSONSerialization.jsonObject(with: Data(buffer: reply.body)) as? [String: Any] else {
            throw SmokeFailure("HTTP \(reply.status): \(String(buffer: reply.body).prefix(300))")
        }
        return object
    }
}
