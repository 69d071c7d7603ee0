import Foundation
import PlatformPostgres
import PlatformTesting
import Testing

@Suite struct MigrationTests {
    static let first = Migration(version: 1, name: "widgets", sql: """
        CREATE TABLE widgets (id bigserial PRIMARY KEY, name text NOT NULL);
        CREATE INDEX widgets_name ON widgets (name);
        """)
    static let second = Migration(version: 2, name: "widget_color", sql: "ALTER TABLE widgets ADD COLUMN color text;")

    func runner(_ database: TestDatabase, _ migrations: [Migration]) throws -> MigrationRunner {
        MigrationRunner(settings: database.migrator, set: try MigrationSet(database: database.name, migrations: migrations))
    }

    @Test func appliesInOrderOnceAndReportsStatus() async throws {
        let database = try await TestDatabase.create()
        let partial = try runner(database, [Self.first])
        #expect(try await LibPQConnection.run { try partial.migrate() }.map(\.version) == [1])

        let full = try runner(database, [Self.first, Self.second])
        let before = try await LibPQConnection.run { try full.status() }
        #expect(before.map(\.applied) == [true, false])
        #expect(try await LibPQConnection.run { try full.migrate() }.map(\.version) == [2])
        #expect(try await LibPQConnection.run { try full.migrate() }.isEmpty)
        #expect(try await LibPQConnection.run { try full.status() }.allSatisfy(\.applied))
    }

    @Test func concurrentRunsAreSerialisedByTheAdvisoryLock() async throws {
        let database = try await TestDatabase.create()
        let slow = Migration(version: 1, name: "slow", sql: "SELECT pg_sleep(0.3); CREATE TABLE t (id int);")
        let runner = try runner(database, [slow, Self.second.renamed(version: 2, sql: "ALTER TABLE t ADD COLUMN x int;")])
        async let a = LibPQConnection.run { try runner.migrate() }
        async let b = LibPQConnection.run { try runner.migrate() }
        let (first, second) = try await (a, b)
        #expect(first.count + second.count == 2)  // each migration applied exactly once
        #expect(Set((first + second).map(\.version)) == [1, 2])
    }

    @Test func aFailingMigrationRollsBackAndStops() async throws {
        let database = try await TestDatabase.create()
        let broken = Migration(version: 2, name: "broken", sql: "CREATE TABLE half (id int); SELECT no_such_function();")
        let third = Migration(version: 3, name: "after", sql: "CREATE TABLE after_broken (id int);")
        let runner = try runner(database, [Self.first, broken, third])
        let error = await #expect(throws: MigrationError.self) { try await LibPQConnection.run { try runner.migrate() } }
        #expect(error?.code == .failed)
        #expect(error?.message.contains("0002_broken") == true)
        let status = try await LibPQConnection.run { try runner.status() }
        #expect(status.map(\.applied) == [true, false, false])
        let tables = try await LibPQConnection.run {
            try LibPQConnection(settings: database.migrator).execute("SELECT to_regclass('half')::text")
        }
        #expect(tables[0][0] == nil)
    }

    @Test func refusesToRunWhenAnAppliedFileChanged() async throws {
        let database = try await TestDatabase.create()
        _ = try await LibPQConnection.run { try runner(database, [Self.first]).migrate() }
        let edited = Migration(version: 1, name: "widgets", sql: Self.first.sql + "\n-- edited")
        let error = await #expect(throws: MigrationError.self) {
            try await LibPQConnection.run { try runner(database, [edited, Self.second]).migrate() }
        }
        #expect(error?.code == .checksumMismatch)
        let unknown = await #expect(throws: MigrationError.self) {
            try await LibPQConnection.run { try runner(database, [Self.second]).status() }
        }
        #expect(unknown?.code == .unknownApplied)
    }

    @Test func theRuntimeRoleCanUseRowsButNotChangeTheSchema() async throws {
        let database = try await TestDatabase.create()
        _ = try await LibPQConnection.run { try runner(database, [Self.first]).migrate() }
        let runtime = database.runtime
        try await LibPQConnection.run {
            let connection = try LibPQConnection(settings: runtime)
            try connection.execute("INSERT INTO widgets (name) VALUES ($1)", parameters: ["w"])
            #expect(try connection.execute("SELECT count(*) FROM widgets")[0][0] == "1")
            try connection.execute("UPDATE widgets SET name = 'v'")
            try connection.execute("DELETE FROM widgets")
        }
        for statement in ["CREATE TABLE sneaky (id int)", "DROP TABLE widgets", "ALTER TABLE widgets ADD COLUMN x int",
                          "CREATE SCHEMA sneaky", "TRUNCATE widgets", "CREATE INDEX i ON widgets (name)"] {
            let error = await #expect(throws: DatabaseCommandError.self, "\(statement)") {
                try await LibPQConnection.run { try LibPQConnection(settings: runtime).execute(statement) }
            }
            #expect(error?.sqlState == "42501", "\(statement): \(String(describing: error))")  // insufficient_privilege
        }
    }

    @Test func provisioningIsIdempotent() async throws {
        let database = try await TestDatabase.create()
        let admin = try PostgresSettings(url: TestEnvironment.postgresURL)
        let roles = try await LibPQConnection.run {
            try DatabaseProvisioner(admin: admin).provision(database: database.name, migratorPassword: "migrator-pw", runtimePassword: "runtime-pw")
        }
        #expect(roles.runtime == "\(database.name)_app")
        await #expect(throws: DatabaseCommandError.self) {
            try await LibPQConnection.run { try DatabaseProvisioner(admin: admin).provision(database: "Bad-Name", migratorPassword: "a", runtimePassword: "b") }
        }
    }
}

extension Migration {
    func renamed(version: Int, sql: String) -> Migration { Migration(version: version, name: name, sql: sql) }
}
