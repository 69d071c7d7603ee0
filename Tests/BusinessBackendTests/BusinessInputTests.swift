import BusinessBackend
import Foundation
import PlatformKit
import Testing

/// The shared layer's pure parts: page cursors, dates and the input rules every backend uses.
@Suite struct BusinessInputTests {
    @Test func cursorsRoundTripAndForeignOnesAreRefused() {
        for position: Int64 in [0, 1, 35, 36, 1_000_000, Int64.max] {
            #expect(PageCursor.position(PageCursor.text(position)) == position)
        }
        for bad in ["", "p", "x12", "p-1", "p!", "12", "p" + String(repeating: "z", count: 20)] {
            #expect(PageCursor.position(bad) == nil, "\(bad)")
        }
    }

    @Test func aPageSaysWhetherAnotherFollows() {
        let request = PageRequest(limit: 2, after: nil)
        let full = Page(rows: [(4, "a"), (7, "b"), (9, "c")], request: request)
        #expect(full.items == ["a", "b"])
        #expect(full.nextCursor == PageCursor.text(7))
        let last = Page(rows: [(4, "a"), (7, "b")], request: request)
        #expect(last.items == ["a", "b"])
        #expect(last.nextCursor == nil)
    }

    @Test func requestBodiesTakeInstantsWithOrWithoutFractionalSeconds() throws {
        struct Body: Decodable { let at: Date }
        let plain = try JSONDecoder.platform.decode(Body.self, from: Data(#"{"at":"2027-05-01T10:00:00Z"}"#.utf8))
        let fractional = try JSONDecoder.platform.decode(Body.self, from: Data(#"{"at":"2027-05-01T10:00:00.250Z"}"#.utf8))
        #expect(fractional.at.timeIntervalSince(plain.at) == 0.25)
        #expect(Date(iso8601: "2027-05-01T12:00:00+02:00") == plain.at)
        for bad in ["2027-05-01", "2027-05-01T10:00:00", "yesterday", ""] {
            #expect(throws: DecodingError.self, "\(bad)") { try JSONDecoder.platform.decode(Body.self, from: Data(#"{"at":"\#(bad)"}"#.utf8)) }
        }
    }

    @Test func datesMustExist() {
        #expect(CalendarDate("2028-02-29")?.description == "2028-02-29")
        for bad in ["2027-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026-04-31", "abcd-ef-gh", "0000-01-01", "2026-+1-+1", "+026-01-01"] {
            #expect(CalendarDate(bad) == nil, "\(bad)")
        }
        #expect(CalendarDate("2026-01-31")! < CalendarDate("2026-02-01")!)
        #expect(CalendarDate("0001-01-01")?.description == "0001-01-01")
    }

    @Test func inputRulesNameTheField() throws {
        #expect(try InputRules.text("  Ada  ", "name", length: 1...10) == "Ada")
        #expect(throws: PlatformError.self) { try InputRules.text("   ", "name", length: 1...10) }
        // Counted as PostgreSQL counts (code points): "\r\n" is two, a combining accent one more.
        #expect(throws: PlatformError.self) { try InputRules.text("a\r\nb", "memo", length: 1...3) }
        #expect(throws: PlatformError.self) { try InputRules.text("e\u{301}e\u{301}", "category", length: 1...3) }
        #expect(try InputRules.email(" Ada@Example.org ") == "ada@example.org")
        #expect(try InputRules.email(nil) == nil)
        for bad in ["ada", "ada@", "@x.org", "a@b", "a b@c.org", "a@@b.org", "a@.org"] {
            #expect(throws: PlatformError.self, "\(bad)") { try InputRules.email(bad) }
        }
        #expect(try InputRules.currency("EUR") == "EUR")
        for bad in ["eur", "EU", "EURO", "E1R"] { #expect(throws: PlatformError.self, "\(bad)") { try InputRules.currency(bad) } }
        do {
            _ = try InputRules.oneOf("maybe", "status", ["draft", "published"])
            Issue.record("accepted")
        } catch let error as PlatformError {
            #expect(error.code == .validationFailed)
            #expect(error.message.contains("status"))
        }
    }
}
