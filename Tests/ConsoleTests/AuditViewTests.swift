@testable import ConsoleCollectors
@testable import ConsoleModel
import Foundation
import Testing

/// The audit view: Admin's page decoded, the `/` filter over actor, action, target, outcome and
/// reason, refusals explained.
@Suite struct AuditViewTests {
    static let page = Data("""
        {"events":[
          {"id":9,"created_at":"2026-12-01T10:00:00Z","actor_id":"00000000-0000-4000-8000-000000000001","actor_email":"ops@kisum.test",
           "permission":"sessions.revoke","action":"sessions.revoke_all","target_type":"user","target":"ada@acme.test","reason":"laptop stolen",
           "outcome":"ok"},
          {"id":8,"created_at":"2026-12-01T09:00:00.5Z","actor_id":"00000000-0000-4000-8000-000000000002","actor_email":"eve@kisum.test",
           "permission":"keys.rotate","action":"keys.rotate","target_type":"key","target":"active","outcome":"denied","error_code":"permission_denied"}
        ],"next_before":null}
        """.utf8)

    @Test func entriesAreFilteredAndRefusalsShown() {
        struct Page: Decodable, Equatable, Sendable { let events: [AuditRow] }
        let report = AdminReader.reading(status: 200, body: Self.page, permission: "audit.read", as: Page.self).map(\.events)
        guard case .value(let entries) = report else { Issue.record("\(report)"); return }
        #expect(entries.map(\.id) == [9, 8] && entries[1].errorCode == "permission_denied")

        var model = OverviewModel(targets: [])
        model.record(audit: report, at: 1_764_583_200)
        var state = ConsoleState()
        let keys = [Key.character(":")] + "audit".map { Key.character($0) } + [Key.enter] + [Key.character("/")] + "stolen".map { Key.character($0) }
            + [Key.enter]
        for key in keys { _ = state.handle(key, rows: model.rows) }
        #expect(state.view == .audit && state.filter == "stolen")
        let text = ConsoleScreen(environment: "production", unicode: false).render(state: state, model: model, width: 120, height: 12,
                                                                                   now: 1_764_583_200).text
        #expect(text.contains("sessions.revoke_all") && text.contains("(laptop stolen)"), "\(text)")
        #expect(!text.contains("keys.rotate"))

        model.record(audit: .unavailable("Your platform role may not do this (403: audit.read)"), at: 1_764_583_200)
        let refused = ConsoleScreen(environment: "production", unicode: false).render(state: state, model: model, width: 120, height: 12,
                                                                                      now: 1_764_583_200).text
        #expect(refused.contains("403: audit.read"))
    }
}
