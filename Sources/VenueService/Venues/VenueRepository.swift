import BusinessBackend
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Venues in `venue_db`, always within one company.
struct VenueRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    func list(_ scope: CompanyScope, _ page: PageRequest) async throws -> Page<Venue> {
        let rows = try await database.query("""
            SELECT position, id, name, city, capacity, created_at, updated_at FROM venues
            WHERE company_id = \(scope.companyID) AND position > \(page.afterPosition)
            ORDER BY position LIMIT \(page.fetchLimit)
            """, operation: "venues_list", logger: logger)
        return Page(rows: try rows.map { row in
            let (position, id, name, city, capacity, created, updated) = try row.decode((Int64, UUID, String, String?, Int?, Date, Date).self)
            return (position, Venue(id: id, name: name, city: city, capacity: capacity, createdAt: created, updatedAt: updated))
        }, request: page)
    }

    func find(_ scope: CompanyScope, _ id: UUID) async throws -> Venue? {
        let rows = try await database.query("""
            SELECT id, name, city, capacity, created_at, updated_at FROM venues WHERE company_id = \(scope.companyID) AND id = \(id)
            """, operation: "venues_find", logger: logger)
        return try rows.first.map(Self.venue)
    }

    func create(_ scope: CompanyScope, name: String, city: String?, capacity: Int?) async throws -> Venue {
        let rows = try await database.query("""
            INSERT INTO venues (id, company_id, name, city, capacity, created_by)
            VALUES (\(UUID()), \(scope.companyID), \(name), \(city), \(capacity), \(scope.userID))
            RETURNING id, name, city, capacity, created_at, updated_at
            """, operation: "venues_insert", logger: logger)
        return try Self.venue(rows[0])
    }

    /// The venue as `change` leaves it (nil if the company has no such venue), the row locked meanwhile.
    func update(_ scope: CompanyScope, _ id: UUID, _ change: @Sendable (inout Venue) throws -> Void) async throws -> Venue? {
        try await database.withTransaction("venues_update", logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT id, name, city, capacity, created_at, updated_at FROM venues WHERE company_id = \(scope.companyID) AND id = \(id) FOR UPDATE
                """, logger: logger).collect()
            guard var venue = try rows.first.map(Self.venue) else { return nil }
            try change(&venue)
            let updated = try await connection.query("""
                UPDATE venues SET name = \(venue.name), city = \(venue.city), capacity = \(venue.capacity), updated_at = now()
                WHERE company_id = \(scope.companyID) AND id = \(id)
                RETURNING id, name, city, capacity, created_at, updated_at
                """, logger: logger).collect()
            return try updated.first.map(Self.venue)
        }
    }

    private static func venue(_ row: PostgresRow) throws -> Venue {
        let (id, name, city, capacity, created, updated) = try row.decode((UUID, String, String?, Int?, Date, Date).self)
        return Venue(id: id, name: name, city: city, capacity: capacity, createdAt: created, updatedAt: updated)
    }
}

/// The checks of a venue's fields.
enum VenueRules {
    static func capacity(_ value: Int?) throws -> Int? {
        guard let value else { return nil }
        guard (1...1_000_000).contains(value) else { throw PlatformError(.validationFailed, "capacity must be from 1 to 1000000") }
        return value
    }
}
