import Foundation
import PlatformKit
import Testing

@Suite struct ConfigLoaderTests {
    let spec = ConfigSpec(service: "demo", keys: [
        ConfigKey("DEMO_DB_URL", .url(schemes: ["postgres"]), .required, secret: true, summary: "db"),
        ConfigKey("DEMO_PORT", .integer(1...65535), .defaulted("8080"), summary: "port"),
        ConfigKey("DEMO_TTL", .duration, .required, summary: "ttl"),
        ConfigKey("DEMO_SECRET", .string, .localDefault("dev-only"), secret: true, summary: "secret"),
        ConfigKey("DEMO_MODE", .choice(["a", "b"]), .optional, summary: "mode"),
    ])

    @Test func reportsEveryBadVariableAtOnce() throws {
        let loader = ConfigLoader(environment: [
            "KISUM_ENV": "production", "DEMO_PORT": "99999", "DEMO_TTL": "soon", "DEMO_MODE": "c",
        ])
        let error = try #require(throws: ConfigError.self) { try loader.load(spec) }
        let named = Set(error.problems.map(\.variable))
        #expect(named == ["DEMO_DB_URL", "DEMO_PORT", "DEMO_TTL", "DEMO_SECRET", "DEMO_MODE"])
        #expect(error.description.contains("DEMO_TTL"))
        #expect(error.description.contains("5 problems"))
    }

    @Test func unknownEnvironmentIsAProblem() throws {
        let error = try #require(throws: ConfigError.self) {
            try ConfigLoader(environment: ["KISUM_ENV": "prod"]).load(ConfigSpec(service: "x"))
        }
        #expect(error.problems.map(\.variable) == ["KISUM_ENV"])
    }

    @Test func developmentDefaultsApplyOnlyInLocal() throws {
        var environment = ["DEMO_DB_URL": "postgres://u@h/d", "DEMO_TTL": "15m"]
        environment["KISUM_ENV"] = "local"
        let local = try ConfigLoader(environment: environment).load(spec)
        #expect(local.string("DEMO_SECRET") == "dev-only")
        #expect(local.integer("DEMO_PORT") == 8080)
        #expect(local.duration("DEMO_TTL") == .seconds(900))
        #expect(local.string("DEMO_MODE") == nil)

        environment["KISUM_ENV"] = "staging"
        let error = try #require(throws: ConfigError.self) { try ConfigLoader(environment: environment).load(spec) }
        #expect(error.problems.map(\.variable) == ["DEMO_SECRET"])
    }

    @Test func secretsCanComeFromFiles() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try "postgres://u:p@h/d\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let config = try ConfigLoader(environment: [
            "KISUM_ENV": "dev", "DEMO_DB_URL_FILE": file.path, "DEMO_TTL": "30s", "DEMO_SECRET": "s",
        ]).load(spec)
        #expect(config.string("DEMO_DB_URL") == "postgres://u:p@h/d")
    }

    @Test func fileProblemsAreNamed() throws {
        let error = try #require(throws: ConfigError.self) {
            try ConfigLoader(environment: [
                "KISUM_ENV": "dev", "DEMO_DB_URL_FILE": "/nonexistent/file", "DEMO_TTL": "1s",
                "DEMO_SECRET": "a", "DEMO_SECRET_FILE": "/x", "DEMO_PORT_FILE": "/y",
            ]).load(spec)
        }
        let named = Set(error.problems.map(\.variable))
        #expect(named == ["DEMO_DB_URL_FILE", "DEMO_SECRET", "DEMO_PORT_FILE"])
    }

    @Test func secretValuesAreNeverEchoed() throws {
        let spec = ConfigSpec(service: "x", keys: [ConfigKey("TOKEN_TTL", .duration, .required, secret: true, summary: "")])
        let error = try #require(throws: ConfigError.self) {
            try ConfigLoader(environment: ["KISUM_ENV": "dev", "TOKEN_TTL": "hunter2"]).load(spec)
        }
        #expect(!error.description.contains("hunter2"))
    }

    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("30s", .seconds(30)), ("15m", .seconds(900)),
        ("1h", .seconds(3600)), ("2d", .seconds(172_800)), ("45", .seconds(45)),
    ])
    func durationsParse(text: String, expected: Duration) {
        #expect(Duration(configText: text) == expected)
    }

    @Test(arguments: ["", "ms", "-5s", "1.5s", "10 minutes"])
    func badDurationsAreRejected(text: String) {
        #expect(Duration(configText: text) == nil)
    }

    @Test func listenAddressesParse() {
        #expect(ListenAddress(parsing: "127.0.0.1:8080") == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(ListenAddress(parsing: "[::1]:9000") == ListenAddress(host: "::1", port: 9000))
        #expect(ListenAddress(parsing: "localhost") == nil)
        #expect(ListenAddress(parsing: ":80") == nil)
        #expect(ListenAddress(parsing: "h:70000") == nil)
    }

    @Test func markdownTableListsEveryKey() {
        let table = spec.markdownTable()
        for key in spec.keys { #expect(table.contains("`\(key.name)`")) }
        #expect(table.contains("`DEMO_DB_URL_FILE`"))
    }
}
