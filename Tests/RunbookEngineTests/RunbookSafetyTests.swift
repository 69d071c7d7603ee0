import Foundation
@testable import RunbookEngine
import Testing

/// What a runbook file cannot do whatever it says, and how operator files are kept.
@Suite struct RunbookSafetyTests {
    func problems(_ risk: String, _ method: String, _ path: String, body: String = "") -> [String] {
        let yaml = """
            name: r
            title: t
            summary: s
            risk: \(risk)
            inputs: []
            steps:
              - name: step
                request: { method: \(method), path: "\(path)"\(body) }
            """
        do {
            _ = try RunbookLibrary.parse(yaml, file: "r.yaml")
            return []
        } catch let RunbookError.invalid(_, problems) {
            return problems
        } catch {
            return ["\(error)"]
        }
    }

    /// A runbook's risk is at least what its steps can do: a "read" runbook cannot end sessions
    /// behind a query string, a "change" cannot revoke sessions or retire a key at once.
    @Test func aRunbookCannotUnderstateItsRisk() {
        #expect(problems("read", "POST", "/admin/v1/keys/rotate?x=/access/explain").first?.contains("needs risk change") == true)
        #expect(problems("read", "POST", "/admin/v1/sessions/6f1c1f0e-8a51-4b8e-9d57-7c3e3f1f7a10/revoke?/access/explain").first?
            .contains("needs risk destructive") == true)
        #expect(problems("change", "POST", "/admin/v1/users/6f1c1f0e-8a51-4b8e-9d57-7c3e3f1f7a10/sessions/revoke-all").first?.contains("destructive") == true)
        #expect(problems("change", "POST", "/admin/v1/keys/rotate", body: ", body: { emergency: true }").first?.contains("destructive") == true)
        #expect(problems("change", "POST", "/admin/v1/keys/rotate", body: ", body: { emergency: false }").isEmpty)
        #expect(problems("read", "POST", "/admin/v1/access/explain").isEmpty)
        #expect(problems("read", "GET", "/admin/v1/operations/overview").isEmpty)
    }

    @Test func valuesNeverBecomePathSegmentsOfTheirOwn() {
        #expect(RunbookRunner.check("..", as: .name) != nil && RunbookRunner.check(".", as: .name) != nil)
        #expect(RunbookRunner.check("acme.events", as: .name) == nil)
        #expect(Placeholders.urlComponent("../x") == "%2E%2E%2Fx")
    }

    @Test func aTokenFileOthersCanReadIsRefusedAndWritesAreUserOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kisum-token-\(UUID().uuidString)")
        let file = folder.appendingPathComponent("operator-token").path
        try OperatorToken.write("abc", to: file)
        #expect(try OperatorToken.read(from: file) == "abc")
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
        try OperatorToken.write("def", to: file)
        #expect(try OperatorToken.read(from: file) == "def")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(throws: RunbookError.self) { try OperatorToken.read(from: file) }
    }
}
