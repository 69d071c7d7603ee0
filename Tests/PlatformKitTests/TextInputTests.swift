import PlatformKit
import Testing

@Suite struct TextInputTests {
    @Test(arguments: [
        #"{"email":"a\u0000@example.com"}"#,
        #"{"name":"x\u001Fy"}"#,
        #"{"nested":{"list":["ok","\u0007"]}}"#,
        #"{"note":"\\\u0000"}"#,
        #"{"name":"del\u007F"}"#,
        #"{"name":"c1\u0085"}"#,
        "{\"name\":\"raw del \u{7F}\"}",
        "{\"name\":\"raw c1 \u{85}\"}",
    ])
    func controlCharactersAreRefused(body: String) {
        #expect(TextInput.problem(inJSON: Array(body.utf8)) != nil)
    }

    @Test(arguments: [
        #"{"email":"a@example.com","password":"p\"w\\d"}"#,
        #"{"memo":"line one\nline two\ttabbed\r\n"}"#,
        #"{"text":"\\u0000 is only text here"}"#,
        #"{"name":"Zoë \u00e9 \u2603"}"#,
        #"{"count":0,"flag":true,"none":null}"#,
    ])
    func ordinaryTextPasses(body: String) {
        #expect(TextInput.problem(inJSON: Array(body.utf8)) == nil)
    }

    @Test func overlongStringsAreRefused() {
        let long = String(repeating: "a", count: TextInput.maximumStringBytes + 1)
        #expect(TextInput.problem(inJSON: Array(#"{"a":"\#(long)"}"#.utf8)) != nil)
        let fits = String(repeating: "a", count: TextInput.maximumStringBytes - 1)
        #expect(TextInput.problem(inJSON: Array(#"{"a":"\#(fits)"}"#.utf8)) == nil)
    }

    @Test func requestTargets() {
        #expect(TextInput.problem(inURI: "/admin/users?email=a%00b") != nil)
        #expect(TextInput.problem(inURI: "/admin/users?email=a%0Ab") != nil)
        #expect(TextInput.problem(inURI: "/x/%FF%FE") != nil)
        #expect(TextInput.problem(inURI: "/x/%zz") != nil)
        #expect(TextInput.problem(inURI: "/admin/users?email=z%C3%B6e%40example.com&limit=5") == nil)
        #expect(TextInput.problem(inURI: "/auth/me/access") == nil)
    }
}
