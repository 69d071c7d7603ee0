@testable import ConsoleCollectors
@testable import ConsoleModel
import Foundation
import Testing

/// The keys view: Admin's list decoded (its ISO 8601 dates), refusals explained, the active key
/// first, and a missing active key called out.
@Suite struct SigningKeysViewTests {
    static let body = Data("""
        {"keys":[{"kid":"k-old","state":"retiring","created_at":"2026-10-01T00:00:00Z","activate_at":"2026-10-01T00:00:00Z","retire_at":"2026-12-10T00:00:00Z"},
                 {"kid":"k-new","state":"active","created_at":"2026-11-20T00:00:00.250Z","activate_at":"2026-11-20T01:00:00Z"}]}
        """.utf8)

    @Test func adminsAnswersBecomeTheView() {
        struct List: Decodable, Equatable, Sendable { let keys: [SigningKeyRow] }
        func report(_ status: Int, _ body: Data) -> SigningKeysReport {
            AdminReader.reading(status: status, body: body, permission: "keys.read", as: List.self).map(\.keys)
        }
        guard case .value(let keys) = report(200, Self.body) else { Issue.record("not decoded"); return }
        #expect(keys.map(\.kid) == ["k-old", "k-new"] && keys[1].retireAt == nil)
        #expect(report(401, Data()) == .unavailable("Admin refused your token (401): sign in again (kisum-ops signin --email YOU)"))
        #expect(report(403, Data()) == .unavailable("Your platform role may not do this (403: keys.read)"))
        #expect(report(200, Data("{}".utf8)) == .unavailable("Admin's answer could not be read"))

        var model = OverviewModel(targets: [])
        model.record(signingKeys: .value(keys), at: 1_764_547_200)  // 2025-12-01
        var state = ConsoleState()
        let keysTyped = [Key.character(":")] + "keys".map { Key.character($0) } + [Key.enter]
        for key in keysTyped { _ = state.handle(key, rows: model.rows) }
        #expect(state.view == .keys)
        let text = ConsoleScreen(environment: "production", unicode: false).render(state: state, model: model, width: 110, height: 12,
                                                                                   now: 1_764_547_200).text
        let rows = text.split(separator: "\n").filter { $0.contains("k-") }
        #expect(rows.first?.hasPrefix("ACTIVE") == true && rows.last?.hasPrefix("RETIRING") == true, "\(text)")
        #expect(rows.last?.contains("2026-12-10 00:00") == true)

        let none = SigningKeysReport.value([keys[0]])
        #expect(none.problem == "no active signing key: nothing can be signed")
    }
}
