import Foundation
import PlatformKit
import Testing

@Suite struct PlatformJSONEncoderTests {
    struct Value: Encodable {
        let id = UUID(uuidString: "0D7A4C8E-0000-4000-8000-00000000A001")!
        let ids = [UUID(uuidString: "ABCDEF01-2345-4678-9ABC-DEF012345678")!]
        let name = "ABCDEF01-2345-4678-9ABC-DEF01234567"  // 35 characters: left alone
        let note = #"say "ABCDEF01-2345-4678-9ABC-DEF012345678" twice"#
    }

    @Test func uuidsAreWrittenInLowerCaseAndNothingElseChanges() throws {
        let text = String(decoding: try JSONEncoder.platform.encode(Value()), as: UTF8.self)
        #expect(text.contains(#""id":"0d7a4c8e-0000-4000-8000-00000000a001""#))
        #expect(text.contains(#""ids":["abcdef01-2345-4678-9abc-def012345678"]"#))
        #expect(text.contains(#""name":"ABCDEF01-2345-4678-9ABC-DEF01234567""#))
        #expect(text.contains(#"ABCDEF01-2345-4678-9ABC-DEF012345678\" twice"#))  // inside a longer string: untouched
    }
}
