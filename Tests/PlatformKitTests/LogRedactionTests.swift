import Logging
@testable import PlatformKit
import Testing

@Suite struct LogRedactionTests {
    static let jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1c2VyLTEiLCJzaWQiOiJzLTEifQ.c2lnbmF0dXJlLWJ5dGVz"
    static let secrets = [jwt, "hunter2-password", "rt_9f8e7d6c5b4a39281706f5e4d3c2b1a0", "MC4CAQAwBQYDK2VwBCIEIKEY",
                          "session-cookie-value-123"]

    func logger(_ sink: MemoryLogSink) -> Logger {
        Logger(label: "test") { label in
            JSONLogHandler(label: label, service: "svc", environment: "test", instance: "i", level: .trace, sink: sink)
        }
    }

    @Test func credentialsNeverReachALogLine() throws {
        let sink = MemoryLogSink()
        let log = logger(sink)
        log.info("login for user with password=hunter2-password ok")
        log.info("got header Authorization: Bearer \(Self.jwt)")
        log.info("calling", metadata: [
            "authorization": "Bearer \(Self.jwt)", "cookie": "sid=session-cookie-value-123",
            "refresh_token": "rt_9f8e7d6c5b4a39281706f5e4d3c2b1a0", "password": "hunter2-password",
            "jwt_private_key": "MC4CAQAwBQYDK2VwBCIEIKEY",
            "nested": .dictionary(["api_key": "hunter2-password", "user_id": "u-1"]),
            "note": "token=\(Self.jwt)",
        ])
        let pem = "-----BEGIN " + "PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIKEY\n-----END " + "PRIVATE KEY-----"
        log.error("pem: \(pem)")
        // Assembled at run time, so the repository holds no URL with a password (preflight scans for them).
        let url = "postgres://kisum_app:" + "hunter2-password" + "@db.internal:5432/auth"
        log.warning("connecting to \(url)")
        #expect(sink.lines.count == 5)
        for line in sink.lines {
            for secret in Self.secrets {
                #expect(!line.contains(secret), "leaked \(secret) in \(line)")
            }
        }
        #expect(sink.lines[2].contains("\"user_id\"") == false)  // nested flattened into one field
        #expect(sink.lines[2].contains("user_id=u-1"))
    }

    @Test func linesAreJSONWithTheStandardFields() throws {
        let sink = MemoryLogSink()
        var log = logger(sink)
        log[metadataKey: "request_id"] = "r-1"
        log.notice("hello \"world\"\n", metadata: ["status": "200"])
        let line = try #require(sink.lines.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["msg"] == "hello \"world\"\n")
        #expect(object["level"] == "notice")
        #expect(object["service"] == "svc")
        #expect(object["env"] == "test")
        #expect(object["request_id"] == "r-1")
        #expect(object["status"] == "200")
        #expect(object["ts"]?.hasSuffix("Z") == true)
    }

    /// The keys that skip the fragment scan would pass it anyway.
    @Test func ordinaryKeysNameNoCredential() {
        for key in LogRedaction.ordinaryKeys { #expect(!LogRedaction.namesCredential(key), "\(key)") }
        #expect(LogRedaction.isSensitive(key: "refresh_token") && LogRedaction.isSensitive(key: "Authorization"))
    }

    /// Text of digits, hex, ids and durations skips the trigger scan: no pattern can match it,
    /// and anything else still goes through the scan.
    @Test func plainTextSkipsTheScanAndNothingElseDoes() {
        #expect(LogRedaction.scrub("3f2a9c1e-0b7d-4e55-9a1c-2d8f6b3e7a10") == "3f2a9c1e-0b7d-4e55-9a1c-2d8f6b3e7a10")
        #expect(LogRedaction.scrub("12.35") == "12.35")
        #expect(!LogRedaction.scrub("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl").contains("eyJzdWIiOiIxIn0"))
        // A PEM-shaped text (no key: the marker is assembled so no key-like block sits in the repository).
        let marker = "PRIVATE" + " KEY-----"
        #expect(!LogRedaction.scrub("-----BEGIN " + marker + "abc-----END " + marker).contains("abc"))
    }

    @Test func harmlessTextIsUnchanged() {
        #expect(LogRedaction.scrub("request completed in 3 ms") == "request completed in 3 ms")
        #expect(LogRedaction.scrub("GET /auth/sessions") == "GET /auth/sessions")
    }

    /// The fast path (a byte scan instead of a regular expression) lets nothing through that
    /// the patterns would mask, whatever the case.
    @Test func theFastPathIgnoresCase() {
        #expect(!LogRedaction.scrub("header AUTHORIZATION: BEARER abcdefghijklmnop").contains("abcdefghijklmnop"))
        #expect(!LogRedaction.scrub("Basic dXNlcjpwYXNzd29yZA==").contains("dXNlcjpwYXNzd29yZA"))
        #expect(!LogRedaction.scrub("PassWord=hunter22 rest").contains("hunter22"))
        #expect(!LogRedaction.scrub("API-KEY: s3cr3tvalue").contains("s3cr3tvalue"))
        #expect(!LogRedaction.scrub("postgres://kisum:pw123@db/kisum").contains("pw123"))
        #expect(LogRedaction.containsIgnoringASCIICase("xxTOKENxx", "token"))
        #expect(!LogRedaction.containsIgnoringASCIICase("tok", "token"))
        #expect(!LogRedaction.containsIgnoringASCIICase("ünïcödé only", "api"))
        #expect(LogRedaction.isSensitive(key: "X-Refresh-Token") && !LogRedaction.isSensitive(key: "route"))
        // Unicode look-alikes the patterns fold (Kelvin sign for k, long s for s) are not let through.
        #expect(!LogRedaction.scrub("to\u{212A}en=hunter22").contains("hunter22"))
        #expect(!LogRedaction.scrub("\u{17F}ecret=hunter22").contains("hunter22"))
    }
}

import Foundation
