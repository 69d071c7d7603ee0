import AsyncHTTPClient
import Foundation
import NIOCore
import PlatformDaemon
import PlatformTesting
import ConsoleCollectors
import ConsoleModel
import RunbookEngine
import Testing

/// The runbooks of `runbooks/` against a real Admin, Auth and Core: their paths, bodies and
/// captures match the Admin API, Admin authorises each step by the operator's platform role,
/// and a destructive one takes effect.
@Suite(.serialized) struct RunbookEndToEndTests {
    static let library = try! RunbookLibrary.load(from: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("runbooks"))

    func run(_ name: String, _ inputs: [String: String], confirm: String? = nil, as email: String, in world: PlatformWorld) async throws -> RunbookRunner.Result {
        let runbook = try Self.library.runbook(named: name)
        let token = try await world.login(email).token
        let transport = AdminHTTPTransport(client: .shared, adminURL: world.admin.publicURL!, token: token, timeout: .seconds(10))
        return try await RunbookRunner.run(runbook, inputs: try RunbookRunner.resolveInputs(runbook, given: inputs), confirmation: confirm,
                                           transport: transport)
    }

    @Test(.timeLimit(.minutes(3))) func diagnosticsChangesAndDestructiveRunbooksThroughAdmin() async throws {
        try await PlatformWorld.with { world in
            // A diagnostic: Auth's ordered checks, nothing failing for Ada in Acme's finance module
            // (an operator's; a viewer may read the overview but not explain a person's access).
            let inputs = ["email": "ada@acme.test", "company": "acme", "module": "finance"]
            let viewer = try await run("user-cannot-access-module", inputs, as: "eve@kisum.test", in: world)
            #expect(!viewer.succeeded && viewer.failure?.contains("403 (permission_denied") == true, "\(viewer.failure ?? "")")
            let explained = try await run("user-cannot-access-module", inputs, as: "ops@kisum.test", in: world)
            #expect(explained.succeeded, "\(explained.failure ?? "")")
            // No failing check: first_failure is absent (or null); the checks are listed.
            #expect(["first_failure: null", "first_failure: (absent)"].contains(explained.steps.first?.lines.first ?? ""), "\(explained.steps)")
            #expect(explained.steps.first?.lines.last?.hasPrefix("checks: [") == true)

            let overview = try await run("redis-down", [:], as: "eve@kisum.test", in: world)
            #expect(overview.succeeded, "\(overview.failure ?? "")")

            // A viewer may not sign anyone out: Admin refuses the step, the run stops there.
            let ada = try await world.login("ada@acme.test")
            let refused = try await run("revoke-user-sessions", ["email": "ada@acme.test", "reason": "drill"], confirm: "ada@acme.test",
                                        as: "eve@kisum.test", in: world)
            #expect(!refused.succeeded && refused.steps.count == 2 && refused.failure?.contains("403") == true, "\(refused.failure ?? "")")
            #expect(try await TestHTTP.get(world.auth.publicURL! + "/auth/me", headers: [("authorization", "Bearer \(ada.token)")]).status == 200)

            // An operator may: every session of Ada's ends, her token is refused.
            let revoked = try await run("revoke-user-sessions", ["email": "ada@acme.test", "reason": "drill"], confirm: "ada@acme.test",
                                        as: "ops@kisum.test", in: world)
            #expect(revoked.succeeded, "\(revoked.failure ?? "")")
            #expect(try await eventually(within: .seconds(1)) {
                try await TestHTTP.get(world.auth.publicURL! + "/auth/me", headers: [("authorization", "Bearer \(ada.token)")]).status == 401
            })

            // A staged rotation by the platform admin: one more key published afterwards.
            let rotated = try await run("rotate-signing-key", ["reason": "drill"], as: "root@kisum.test", in: world)
            #expect(rotated.succeeded, "\(rotated.failure ?? "")")
            let audit = try await world.admin("GET", "/admin/v1/audit?action=keys.rotate&limit=5",
                                              token: try await world.login("root@kisum.test").token)
            #expect(audit.status == 200 && audit.body.contains("keys.rotate"), "\(audit.body)")

            // The console's keys view reads them through Admin as the operator: one active key and
            // the staged one pending; without a usable token it says why instead.
            let folder = TestEnvironment.scratch.appendingPathComponent("console-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let tokenFile = folder.appendingPathComponent("token").path
            _ = FileManager.default.createFile(atPath: tokenFile, contents: Data(try await world.login("root@kisum.test").token.utf8),
                                           attributes: [.posixPermissions: 0o600])
            let reader = AdminReader(client: .shared, adminURL: world.admin.publicURL!, tokenFile: tokenFile)
            let report = await reader.signingKeys()
            guard case .value(let keys) = report else { Issue.record("keys not read: \(report)"); return }
            #expect(keys.filter { $0.state == "active" }.count == 1 && keys.contains { $0.state == "pending" }, "\(keys)")
            #expect(report.problem == nil)
            // The audit view: the rotation above is among the newest entries.
            guard case .value(let entries) = await reader.audit() else { Issue.record("audit not read"); return }
            #expect(entries.contains { $0.action == "keys.rotate" && $0.actorEmail == "root@kisum.test" }, "\(entries.prefix(3))")
            let missing = await AdminReader(client: .shared, adminURL: world.admin.publicURL!, tokenFile: folder.appendingPathComponent("none").path)
                .signingKeys()
            guard case .unavailable(let reason) = missing else { Issue.record("\(missing)"); return }
            #expect(reason.contains("sign in"), "\(reason)")
        }
    }
}
