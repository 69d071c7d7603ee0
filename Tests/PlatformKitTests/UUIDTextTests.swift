import Foundation
import PlatformKit
import Testing

/// The platform's UUID text forms agree with Foundation's, without its `snprintf`/`sscanf`.
@Suite struct UUIDTextTests {
    @Test func formatsAndParsesLikeFoundation() {
        for _ in 0..<2_000 {
            let id = UUID()
            #expect(id.lowercased == id.uuidString.lowercased())
            #expect(UUID(text: id.uuidString) == id)
            #expect(UUID(text: id.lowercased) == id)
            #expect(UUID(text: id.lowercased[...]) == id)
        }
        let fixed = UUID(uuid: (0x00, 0x01, 0x0a, 0xff, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0))
        #expect(fixed.lowercased == "00010aff-1020-3040-5060-708090a0b0c0")
    }

    @Test(arguments: ["", "00010aff-1020-3040-5060-708090a0b0c", "00010aff-1020-3040-5060-708090a0b0c00",
                      "00010aff1020-3040-5060-708090a0b0c0-", "00010afg-1020-3040-5060-708090a0b0c0",
                      "{00010aff-1020-3040-5060-708090a0b0c0}", "00010aff-1020-3040-5060-708090a0b0c\u{e9}", "acme",
                      "00010aff-1020-3040-5060-708090a0b0c0 "])
    func refusesWhatFoundationRefuses(text: String) {
        #expect(UUID(text: text) == nil)
        #expect(UUID(uuidString: text) == nil)
    }

    @Test func hexEncodingMatchesPrintf() {
        let bytes: [UInt8] = Array(0...255)
        #expect(bytes.hexEncoded == bytes.map { String(format: "%02x", $0) }.joined())
        #expect([UInt8]().hexEncoded == "")
    }
}
