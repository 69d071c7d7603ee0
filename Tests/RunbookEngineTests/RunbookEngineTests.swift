import Foundation
import NIOConcurrencyHelpers
@testable import RunbookEngine
import Testing

/// An Admin API stand-in: answers from a table, records every call.
final class RecordingTransport: RunbookTransport {
    struct Call: Equatable { let method: String; let path: String; let body: JSONValue? }
    private let calls = NIOLockedValueBox<[Call]>([])
    let answer: @Sendable (String, String) -> RunbookReply

    init(answer: @escaping @Sendable (String, String) -> RunbookReply) { self.answer = answer }

    func send(method: String, path: String, body: JSONValue?) async throws -> RunbookReply {
        calls.withLockedValue { $0.append(Call(method: method, path: path, body: body)) }
        return answer(method, path)
    }

    var made: [Call] { calls.withLockedValue { $0 } }
}

@Suite struct RunbookEngineTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The runbooks the console and kisum-ops offer all load and pass validation, and the
    /// spec's runbooks are among them.
    @Test func everyRunbookInTheRepositoryIsValid() throws {
        let library = try RunbookLibrary.load(from: Self.repository.appendingPathComponent("runbooks"))
        let names = Set(library.runbooks.map(\.name))
        for required in ["invalidate-user-access", "revoke-session", "revoke-user-sessions", "rotate-signing-key", "emergency-rotate-signing-key",
                         "user-cannot-access-module", "login-failures-spike", "subscription-changed-ui-old", "redis-down", "jwt-verification-failing"] {
            #expect(names.contains(required), "\(required) missing")
        }
        for runbook in library.runbooks where runbook.risk == .destructive { #expect(runbook.confirm != nil) }
    }

    @Test func anInvalidRunbookNamesEveryProblem() {
        let yaml = """
            name: Bad Name
            title: t
            summary: s
            risk: destructive
            inputs:
              - { name: email, summary: e, kind: email }
              - { name: email, summary: again, kind: text }
            steps:
              - name: outside
                request: { method: PATCH, path: "/internal/v1/users/{user_id}" }
            """
        #expect {
            try RunbookLibrary.parse(yaml, file: "bad.yaml")
        } throws: { error in
            guard case RunbookError.invalid(let file, let problems) = error else { return false }
            let text = problems.joined(separator: "\n")
            return file == "bad.yaml" && problems.count == 6 && text.contains("lowercase") && text.contains("declared twice")
                && text.contains("must name the input") && text.contains("PATCH") && text.contains("Admin API") && text.contains("{user_id}")
        }
        #expect(throws: RunbookError.self) { try RunbookLibrary.parse("name: [unclosed", file: "broken.yaml") }
    }

    static let signOut = try! RunbookLibrary.parse("""
        name: sign-out
        title: Sign a user out everywhere
        summary: s
        risk: destructive
        inputs:
          - { name: email, summary: the email, kind: email }
          - { name: reason, summary: why, kind: text, default: "runbook" }
        confirm: email
        steps:
          - name: find
            request: { method: GET, path: "/admin/v1/users?email={email}" }
            capture: { user_id: "users.0.id" }
            on_failure: "no such user"
          - name: revoke
            request: { method: POST, path: "/admin/v1/users/{user_id}/sessions/revoke-all", body: { confirm: "{email}", reason: "{reason}" } }
            show: ["revoked"]
        """, file: "sign-out.yaml")

    @Test func inputsAreCheckedByKindWithDefaultsAndEveryProblemAtOnce() throws {
        #expect(try RunbookRunner.resolveInputs(Self.signOut, given: ["email": "a@b.example"]) == ["email": "a@b.example", "reason": "runbook"])
        #expect {
            try RunbookRunner.resolveInputs(Self.signOut, given: ["email": "not-an-email", "colour": "red"])
        } throws: { error in
            let text = String(describing: error)
            return text.contains("not an email address") && text.contains("no input colour")
        }
        #expect(throws: RunbookError.self) { try RunbookRunner.resolveInputs(Self.signOut, given: [:]) }
        #expect(RunbookRunner.check("x\ny", as: .text) != nil)
        #expect(RunbookRunner.check("6f1c1f0e-8a51-4b8e-9d57-7c3e3f1f7a10", as: .uuid) == nil)
    }

    @Test func aDryRunShowsTheCallsAndMakesNone() throws {
        let lines = RunbookRunner.preview(Self.signOut, inputs: ["email": "a@b.example", "reason": "leak"])
        #expect(lines[1] == "1. find: GET /admin/v1/users?email=a@b.example")
        #expect(lines[2].hasPrefix("2. revoke: POST /admin/v1/users/{user_id from step 1}/sessions/revoke-all"))
        #expect(lines[2].contains("\"confirm\":\"a@b.example\""))
        #expect(lines.last == "Destructive: confirm by typing a@b.example.")
    }

    @Test func aDestructiveRunbookIsRefusedUnconfirmedBeforeAnyCall() async throws {
        let transport = RecordingTransport { _, _ in RunbookReply(status: 200, body: nil) }
        for wrong in [nil, "", "A@B.EXAMPLE", "someone@else.example"] {
            await #expect(throws: RunbookError.notConfirmed(expected: "a@b.example")) {
                try await RunbookRunner.run(Self.signOut, inputs: ["email": "a@b.example", "reason": "r"], confirmation: wrong, transport: transport)
            }
        }
        #expect(transport.made.isEmpty)
    }

    @Test func stepsPassCapturesOnEscapedAndShowWhatTheyFound() async throws {
        let transport = RecordingTransport { method, path in
            method == "GET"
                ? RunbookReply(status: 200, body: .object(["users": .array([.object(["id": .string("u/1 x")])])]))
                : RunbookReply(status: 200, body: .object(["revoked": .number(3)]))
        }
        let result = try await RunbookRunner.run(Self.signOut, inputs: ["email": "a+b@c.example", "reason": "r"], confirmation: "a+b@c.example",
                                                 transport: transport)
        #expect(result.succeeded && result.captures == ["user_id": "u/1 x"])
        #expect(transport.made.map(\.path) == ["/admin/v1/users?email=a%2Bb%40c%2Eexample", "/admin/v1/users/u%2F1%20x/sessions/revoke-all"])
        #expect(transport.made[1].body == .object(["confirm": .string("a+b@c.example"), "reason": .string("r")]))
        #expect(result.steps[1].lines == ["revoked: 3"])
    }

    @Test func aFailingStepStopsTheRunWithTheCodeAndTheAdvice() async throws {
        let missing = RecordingTransport { _, _ in RunbookReply(status: 200, body: .object(["users": .array([])])) }
        let stopped = try await RunbookRunner.run(Self.signOut, inputs: ["email": "a@b.example", "reason": "r"], confirmation: "a@b.example",
                                                  transport: missing)
        #expect(!stopped.succeeded && missing.made.count == 1)
        #expect(stopped.failure == "step 1 (find): the answer has no user_id (users.0.id) — no such user")

        let refused = RecordingTransport { _, _ in
            RunbookReply(status: 403, body: .object(["error": .object(["code": .string("permission_denied"), "message": .string("needs users.read")])]))
        }
        let denied = try await RunbookRunner.run(Self.signOut, inputs: ["email": "a@b.example", "reason": "r"], confirmation: "a@b.example",
                                                 transport: refused)
        #expect(denied.failure == "step 1 (find): answered 403 (permission_denied: needs users.read) — no such user")
    }

    @Test func historyKeepsRunsInAUserOnlyFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kisum-history-\(UUID().uuidString)/runs.jsonl")
        let history = RunbookHistory(file: file)
        try history.append(.init(at: Date(timeIntervalSince1970: 1_000), runbook: "a", inputs: ["x": "1"], succeeded: true, failure: nil))
        try history.append(.init(at: Date(timeIntervalSince1970: 2_000), runbook: "b", inputs: [:], succeeded: false, failure: "step 1"))
        #expect(history.recent().map(\.runbook) == ["a", "b"])
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
