import Foundation
import PlatformDaemon
import PlatformKit
import PlatformTesting
import Testing
import ServiceWorlds

/// Bad text is a 400 with a code, decided once in the kit before it reaches SQL (fuzzing found
/// a NUL in the email of `POST /auth/login` answered 500: PostgreSQL refuses NUL in text).
@Suite struct InputValidationTests {
    let helpers = SessionTests()

    @Test func controlCharactersAndOverlongTextAreRefusedWithACode() async throws {
        try await AuthHarness.with { auth in
            try await helpers.ready(auth)
            let url = auth.daemon.publicURL! + "/auth/login"
            let json = [("content-type", "application/json")]

            let nul = try await TestHTTP.send("POST", url, headers: json, body: #"{"email":"a\u0000@example.com","password":"x"}"#)
            #expect(nul.status == 400, "\(nul.body)")
            #expect(nul.errorCode == "invalid_text")

            let long = String(repeating: "p", count: 20_000)
            let overlong = try await TestHTTP.send("POST", url, headers: json, body: #"{"email":"a@example.com","password":"\#(long)"}"#)
            #expect(overlong.status == 400 && overlong.errorCode == "invalid_text", "\(overlong.body)")

            let target = try await TestHTTP.get(auth.daemon.publicURL! + "/auth/me/access?x=%00")
            #expect(target.status == 400 && target.errorCode == "invalid_text", "\(target.body)")

            // Ordinary text still works: a wrong password is the usual 401, never a 400 or 500.
            let ordinary = try await TestHTTP.send("POST", url, headers: json, body: #"{"email":"zoë@example.com","password":"tab\tand\nnewline"}"#)
            #expect(ordinary.status == 401, "\(ordinary.body)")
        }
    }

    @Test func weakArgon2IsRefusedOutsideLocalAndDev() async throws {
        // The harness runs Argon2 at 8 MiB, t = 1 (fast tests): fine in local, refused in staging.
        let error = await #expect(throws: ConfigError.self) { _ = try await AuthHarness.start(["KISUM_ENV": "staging"]) }
        let variables = error?.problems.map(\.variable) ?? []
        #expect(variables.contains("PASSWORD_ARGON2_MEMORY_KIB"))
        #expect(variables.contains("PASSWORD_ARGON2_ITERATIONS"))
    }
}

