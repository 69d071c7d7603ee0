import BusinessBackend
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Shows in `touring_db`, always within one company (the database ties each to a tour of the
/// same company).
struct ShowRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    /// The tour's shows in the order they were added; nil if the company has no such tour.
    func list(_ scope: CompanyScope, tour: UUID, _ page: PageRequest) async throws -> Page<Show>? {
        guard try await tourExists(scope, tour) else { return nil }
        let rows = try await database.query("""
            SELECT position, id, tour_id, to_char(show_date, 'YYYY-MM-DD'), city, venue_ref, status, notes, created_at, updated_at FROM shows
            WHERE company_id = \(scope.companyID) AND tour_id = \(tour) AND position > \(page.afterPosition)
            ORDER BY position LIMIT \(page.fetchLimit)
            """, operation: "shows_list", logger: logger)
        return Page(rows: try rows.map { row in
            let (position, id, tourID, date, city, venue, status, notes, created, updated) =
                try row.decode((Int64, UUID, UUID, String, String, String?, String, String?, Date, Date).self)
            return (position, try Self.show(id, tourID, date, city, venue, status, notes, created, updated))
        }, request: page)
    }

    func find(_ scope: CompanyScope, _ id: UUID) async throws -> Show? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM shows WHERE company_id = \(scope.companyID) AND id = \(id)
            """, operation: "shows_find", logger: logger)
        return try rows.first.map(Self.show)
    }

    /// A show on the company's tour `tour`; nil if there is no such tour.
    func create(_ scope: CompanyScope, tour: UUID, _ show: ValidShow) async throws -> Show? {
        guard try await tourExists(scope, tour) else { return nil }
        let rows = try await database.query("""
            INSERT INTO shows (id, company_id, tour_id, show_date, city, venue_ref, status, notes, created_by)
            VALUES (\(UUID()), \(scope.companyID), \(tour), \(show.date.description)::date, \(show.city), \(show.venueRef),
                    \(show.status.rawValue), \(show.notes), \(scope.userID))
            RETURNING \(unescaped: Self.columns)
            """, operation: "shows_insert", logger: logger)
        return try Self.show(rows[0])
    }

    /// The show as `change` leaves it (nil if the company has no such show), the row locked meanwhile.
    func update(_ scope: CompanyScope, _ id: UUID, _ change: @Sendable (inout Show) throws -> Void) async throws -> Show? {
        try await database.withTransaction("shows_update", logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM shows WHERE company_id = \(scope.companyID) AND id = \(id) FOR UPDATE
                """, logger: logger).collect()
            guard var show = try rows.first.map(Self.show) else { return nil }
            try change(&show)
            let updated = try await connection.query("""
                UPDATE shows SET show_date = \(show.date.description)::date, city = \(show.city), venue_ref = \(show.venueRef),
                    status = \(show.status.rawValue), notes = \(show.notes), updated_at = now()
                WHERE company_id = \(scope.companyID) AND id = \(id)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger).collect()
            return try updated.first.map(Self.show)
        }
    }

    private func tourExists(_ scope: CompanyScope, _ tour: UUID) async throws -> Bool {
        try await !database.query("SELECT 1 FROM tours WHERE company_id = \(scope.companyID) AND id = \(tour)",
                                  operation: "tours_exists", logger: logger).isEmpty
    }

    private static let columns = "id, tour_id, to_char(show_date, 'YYYY-MM-DD'), city, venue_ref, status, notes, created_at, updated_at"

    private static func show(_ row: PostgresRow) throws -> Show {
        let (id, tour, date, city, venue, status, notes, created, updated) =
            try row.decode((UUID, UUID, String, String, String?, String, String?, Date, Date).self)
        return try show(id, tour, date, city, venue, status, notes, created, updated)
    }

    private static func show(_ id: UUID, _ tour: UUID, _ date: String, _ city: String, _ venue: String?, _ status: String, _ notes: String?,
                             _ created: Date, _ updated: Date) throws -> Show {
        guard let day = CalendarDate(date), let state = ReservationStatus(rawValue: status) else {
            throw PlatformError(.internalError, "show \(id) read back malformed")
        }
        return Show(id: id, tourID: tour, date: day, city: city, venueRef: venue, status: state, notes: notes, createdAt: created, updatedAt: updated)
    }
}

/// A new show as checked.
struct ValidShow: Sendable {
    let date: CalendarDate
    let city: String
    let venueRef: String?
    let status: ReservationStatus
    let notes: String?

    init(_ input: ShowInput) throws {
        guard let date = input.date, let city = input.city else { throw PlatformError(.validationFailed, "date and city are required") }
        self.date = try InputRules.date(date, "date")
        self.city = try InputRules.text(city, "city", length: 1...200)
        venueRef = try InputRules.optionalText(input.venueRef, "venue_ref", maximum: 200)
        let status = try input.status.map { try StatusTransition.parse($0, as: ReservationStatus.self) } ?? .hold
        guard status != .canceled else { throw PlatformError(.validationFailed, "a new show is held or confirmed") }
        self.status = status
        notes = try InputRules.optionalText(input.notes, "notes", maximum: 4000)
    }
}
