import Foundation
import PlatformPostgres
import Testing

@Suite struct MigrationSetTests {
    func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, sql) in files { try sql.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url
    }

    @Test func loadsInVersionOrder() throws {
        let set = try MigrationSet(database: "d", directory: folder([
            "0002_b.sql": "SELECT 2;", "0001_a.sql": "SELECT 1;", "0010_c.sql": "SELECT 10;", "README.txt": "x",
        ]))
        #expect(set.migrations.map(\.version) == [1, 2, 10])
        #expect(set.migrations.map(\.name) == ["a", "b", "c"])
    }

    @Test func rejectsBadNamesAndDuplicateVersions() throws {
        #expect(throws: MigrationError.self) { try MigrationSet(database: "d", directory: folder(["init.sql": "x"])) }
        #expect(throws: MigrationError.self) {
            try MigrationSet(database: "d", directory: folder(["0001_a.sql": "x", "001_b.sql": "y"]))
        }
    }

    @Test func checksumChangesWithContent() {
        #expect(Migration(version: 1, name: "a", sql: "x").checksum != Migration(version: 1, name: "a", sql: "x ").checksum)
        #expect(Migration(version: 1, name: "a", sql: "x").checksum.count == 64)
    }
}
