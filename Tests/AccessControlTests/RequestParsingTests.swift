import AccessControl
import Foundation
import Testing

/// Bearer tokens, `x-org` references and feed cursors are each read by one function.
@Suite struct RequestParsingTests {
    @Test func bearerTokens() {
        #expect(BearerToken.parse("Bearer abc.def.ghi") == "abc.def.ghi")
        #expect(BearerToken.parse("bearer abc") == "abc")
        #expect(BearerToken.parse("BEARER  abc ") == "abc")
        for refused: String? in [nil, "", "Bearer", "Bearer ", "Basic abc", "Bearer a b", "Bearerabc",
                                 "Bearer " + String(repeating: "a", count: 8193)] {
            #expect(BearerToken.parse(refused) == nil, "\(refused ?? "nil")")
        }
    }

    @Test func orgReferences() throws {
        let id = UUID()
        #expect(OrgReference(" \(id.uuidString) ")?.id == id)
        #expect(OrgReference(id.uuidString)?.value == id.uuidString.lowercased())
        #expect(OrgReference(" Acme-2 ")?.value == "acme-2")
        #expect(OrgReference("acme")?.id == nil)
        for refused in ["", "a", "-acme", "acme corp", "acme\u{0}", "ácme", String(repeating: "a", count: 64), "acme;drop"] {
            #expect(OrgReference(refused) == nil, "\(refused)")
        }
        let acme = try #require(OrgReference("acme"))
        #expect(acme.matches(id: id, slug: "acme"))
        #expect(!acme.matches(id: id, slug: "other"))
        #expect(try #require(OrgReference(id.uuidString)).matches(id: id, slug: "whatever"))
    }

    @Test func feedCursors() throws {
        #expect(AccessFeedCursor("12-34") == AccessFeedCursor(tx: 12, id: 34))
        #expect(AccessFeedCursor("12-34")?.description == "12-34")
        for refused in ["", "12", "12-", "-34", "12-34-5", "a-1", "1-+2", "99999999999999999999-1", "1--2"] {
            #expect(AccessFeedCursor(refused) == nil, "\(refused)")
        }
        #expect(AccessFeedCursor(tx: 1, id: 9) < AccessFeedCursor(tx: 2, id: 1))
        let page = AccessFeedPage(cursor: AccessFeedCursor(tx: 5, id: 0), events: [], resync: false, completeAgeMilliseconds: 3)
        let decoded = try JSONDecoder().decode(AccessFeedPage.self, from: JSONEncoder().encode(page))
        #expect(decoded == page)
    }

    /// The moment a feed answer vouches for, on the consumer's clock: the question's sending
    /// plus how long Auth held it, minus the age (and a millisecond for Auth's rounding).
    @Test func aFeedAnswerVouchesFromWhenAuthHeldIt() throws {
        let sent = ContinuousClock.now
        let cursor = AccessFeedCursor(tx: 5, id: 0)
        let held = AccessFeedPage(cursor: cursor, events: [], resync: false, completeAgeMilliseconds: 30, heldMilliseconds: 200)
        #expect(held.completeSince(sent: sent, received: sent + .milliseconds(205)) == sent + .milliseconds(169))
        // An answer claiming more than the time that passed vouches no later than its arrival.
        #expect(held.completeSince(sent: sent, received: sent + .milliseconds(100)) == sent + .milliseconds(100))
        // An older Auth that does not say how long it held: from the sending.
        let older = try JSONDecoder().decode(AccessFeedPage.self, from: Data(#"{"cursor":"5-0","events":[],"resync":false,"complete_age_ms":30}"#.utf8))
        #expect(older.completeSince(sent: sent, received: sent + .milliseconds(5)) == sent - .milliseconds(31))
        let incomplete = AccessFeedPage(cursor: cursor, events: [], resync: false, completeAgeMilliseconds: nil, heldMilliseconds: 200)
        #expect(incomplete.completeSince(sent: sent) == nil)
        let decoded = try JSONDecoder().decode(AccessFeedPage.self, from: JSONEncoder().encode(held))
        #expect(decoded == held)
    }
}
