import BusinessBackend
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Tours in `touring_db`, always within one company.
struct TourRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    func list(_ scope: CompanyScope, _ page: PageRequest) async throws -> Page<Tour> {
        let rows = try await database.query("""
            SELECT position, id, name, artist, notes, created_at, updated_at FROM tours
            WHERE company_id = \(scope.companyID) AND position > \(page.afterPosition)
            ORDER BY position LIMIT \(page.fetchLimit)
            """, operation: "tours_list", logger: logger)
        return Page(rows: try rows.map { row in
            let (position, id, name, artist, notes, created, updated) = try row.decode((Int64, UUID, String, String?, String?, Date, Date).self)
            return (position, Tour(id: id, name: name, artist: artist, notes: notes, createdAt: created, updatedAt: updated))
        }, request: page)
    }

    func find(_ scope: CompanyScope, _ id: UUID) async throws -> Tour? {
        let rows = try await database.query("""
            SELECT id, name, artist, notes, created_at, updated_at FROM tours WHERE company_id = \(scope.companyID) AND id = \(id)
            """, operation: "tours_find", logger: logger)
        return try rows.first.map(Self.tour)
    }

    func create(_ scope: CompanyScope, name: String, artist: String?, notes: String?) async throws -> Tour {
        let rows = try await database.query("""
            INSERT INTO tours (id, company_id, name, artist, notes, created_by)
            VALUES (\(UUID()), \(scope.companyID), \(name), \(artist), \(notes), \(scope.userID))
            RETURNING id, name, artist, notes, created_at, updated_at
            """, operation: "tours_insert", logger: logger)
        return try Self.tour(rows[0])
    }

    /// The tour as `change` leaves it (nil if the company has no such tour), the row locked meanwhile.
    func update(_ scope: CompanyScope, _ id: UUID, _ change: @Sendable (inout Tour) throws -> Void) async throws -> Tour? {
        try await database.withTransaction("tours_update", logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT id, name, artist, notes, created_at, updated_at FROM tours WHERE company_id = \(scope.companyID) AND id = \(id) FOR UPDATE
                """, logger: logger).collect()
            guard var tour = try rows.first.map(Self.tour) else { return nil }
            try change(&tour)
            let updated = try await connection.query("""
                UPDATE tours SET name = \(tour.name), artist = \(tour.artist), notes = \(tour.notes), updated_at = now()
                WHERE company_id = \(scope.companyID) AND id = \(id)
                RETURNING id, name, artist, notes, created_at, updated_at
                """, logger: logger).collect()
            return try updated.first.map(Self.tour)
        }
    }

    private static func tour(_ row: PostgresRow) throws -> Tour {
        let (id, name, artist, notes, created, updated) = try row.decode((UUID, String, String?, String?, Date, Date).self)
        return Tour(id: id, name: name, artist: artist, notes: notes, createdAt: created, updatedAt: updated)
    }
}
