import PlatformPostgres
import Testing

@Suite struct PostgresSettingsTests {
    @Test func parsesURLsWithLibpq() throws {
        let settings = try PostgresSettings(url: "postgres://app:s%40cret@db.example:6543/auth_db?sslmode=verify-full&connect_timeout=3")
        #expect(settings.host == "db.example")
        #expect(settings.port == 6543)
        #expect(settings.username == "app")
        #expect(settings.password == "s@cret")
        #expect(settings.database == "auth_db")
        #expect(settings.sslMode == .verifyFull)
        #expect(settings.connectTimeout == .seconds(3))
    }

    @Test func defaultsToPreferTLS() throws {
        #expect(try PostgresSettings(url: "postgresql://u@localhost/d").sslMode == .prefer)
    }

    @Test func rejectsWhatLibpqRejectsWithoutLeakingThePassword() {
        for url in ["postgres://u:topsecret@h/d?sslmode=sometimes", "postgres://u:topsecret@h:99999/d", "postgres://h/d", "postgres://u@h/"] {
            let error = #expect(throws: PostgresSettingsError.self) { try PostgresSettings(url: url) }
            #expect(error.map { !$0.description.contains("topsecret") } == true)
        }
    }

    @Test func conninfoRoundTripsThroughLibpq() throws {
        let settings = PostgresSettings(host: "h", port: 1, username: "o'brien", password: "p w\\'x", database: "d", sslMode: .require)
        let parsed = try PostgresSettings(url: settings.conninfo)
        #expect(parsed.username == "o'brien")
        #expect(parsed.password == "p w\\'x")
        #expect(parsed.sslMode == .require)
    }
}
