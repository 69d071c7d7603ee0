import BusinessBackend
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Bookings in `venue_db`, always within one company. Overlapping confirmed bookings of one
/// venue are refused by the database (`bookings_confirmed_never_overlap`), answered 409
/// `booking_overlaps`.
struct BookingRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    /// The venue's bookings in the order they were made; nil if the company has no such venue.
    func list(_ scope: CompanyScope, venue: UUID, _ page: PageRequest) async throws -> Page<Booking>? {
        guard try await venueExists(scope, venue) else { return nil }
        let rows = try await database.query("""
            SELECT position, \(unescaped: Self.columns) FROM bookings
            WHERE company_id = \(scope.companyID) AND venue_id = \(venue) AND position > \(page.afterPosition)
            ORDER BY position LIMIT \(page.fetchLimit)
            """, operation: "bookings_list", logger: logger)
        return Page(rows: try rows.map { row in
            let (position, id, venue, title, starts, ends, status, notes, created, updated) =
                try row.decode((Int64, UUID, UUID, String, Date, Date, String, String?, Date, Date).self)
            return (position, try Self.booking(id, venue, title, starts, ends, status, notes, created, updated))
        }, request: page)
    }

    func find(_ scope: CompanyScope, _ id: UUID) async throws -> Booking? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM bookings WHERE company_id = \(scope.companyID) AND id = \(id)
            """, operation: "bookings_find", logger: logger)
        return try rows.first.map(Self.booking)
    }

    /// A booking of the company's venue `venue`; nil if there is no such venue. Bookings of one
    /// venue are written one at a time (its row is locked): concurrent overlapping confirmations
    /// meet the exclusion constraint in turn (409) instead of deadlocking on it.
    func create(_ scope: CompanyScope, venue: UUID, _ booking: ValidBooking) async throws -> Booking? {
        try await refusingOverlaps {
            try await database.withTransaction("bookings_insert", logger: logger) { connection in
                guard try await lockVenue(scope, venue, on: connection) else { return nil }
                let rows = try await connection.query("""
                    INSERT INTO bookings (id, company_id, venue_id, title, starts_at, ends_at, status, notes, created_by)
                    VALUES (\(UUID()), \(scope.companyID), \(venue), \(booking.title), \(booking.startsAt), \(booking.endsAt),
                            \(booking.status.rawValue), \(booking.notes), \(scope.userID))
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger).collect()
                return try Self.booking(rows[0])
            }
        }
    }

    /// Locks the company's venue row for this transaction; false if there is no such venue.
    private func lockVenue(_ scope: CompanyScope, _ venue: UUID, on connection: PostgresConnection) async throws -> Bool {
        try await !connection.query("SELECT 1 FROM venues WHERE company_id = \(scope.companyID) AND id = \(venue) FOR UPDATE",
                                    logger: logger).collect().isEmpty
    }

    /// The booking as `change` leaves it (nil if the company has no such booking), the row
    /// locked meanwhile.
    func update(_ scope: CompanyScope, _ id: UUID, _ change: @Sendable (inout Booking) throws -> Void) async throws -> Booking? {
        try await refusingOverlaps {
            try await database.withTransaction("bookings_update", logger: logger) { connection in
                // The venue first (as a create does), then the booking.
                let venues = try await connection.query("""
                    SELECT venue_id FROM bookings WHERE company_id = \(scope.companyID) AND id = \(id)
                    """, logger: logger).collect()
                guard let venue = try venues.first?.decode(UUID.self), try await lockVenue(scope, venue, on: connection) else { return nil }
                let rows = try await connection.query("""
                    SELECT \(unescaped: Self.columns) FROM bookings WHERE company_id = \(scope.companyID) AND id = \(id) FOR UPDATE
                    """, logger: logger).collect()
                guard var booking = try rows.first.map(Self.booking) else { return nil }
                try change(&booking)
                try InputRules.ordered(booking.startsAt, booking.endsAt, "starts_at and ends_at")
                let updated = try await connection.query("""
                    UPDATE bookings SET title = \(booking.title), starts_at = \(booking.startsAt), ends_at = \(booking.endsAt),
                        status = \(booking.status.rawValue), notes = \(booking.notes), updated_at = now()
                    WHERE company_id = \(scope.companyID) AND id = \(id)
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger).collect()
                return try updated.first.map(Self.booking)
            }
        }
    }

    /// `body`, with the exclusion constraint's refusal (SQLSTATE 23P01) as 409 `booking_overlaps`.
    private func refusingOverlaps<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23P01" {
            throw PlatformError(VenueError.bookingOverlaps, "another confirmed booking of this venue overlaps this period")
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "40P01" {
            // Not expected with the venue locked first; a retry is the answer if it ever happens.
            throw PlatformError(.conflict, "the booking met a concurrent change of this venue; retry")
        }
    }

    private func venueExists(_ scope: CompanyScope, _ venue: UUID) async throws -> Bool {
        try await !database.query("SELECT 1 FROM venues WHERE company_id = \(scope.companyID) AND id = \(venue)",
                                  operation: "venues_exists", logger: logger).isEmpty
    }

    private static let columns = "id, venue_id, title, starts_at, ends_at, status, notes, created_at, updated_at"

    private static func booking(_ row: PostgresRow) throws -> Booking {
        let (id, venue, title, starts, ends, status, notes, created, updated) =
            try row.decode((UUID, UUID, String, Date, Date, String, String?, Date, Date).self)
        return try booking(id, venue, title, starts, ends, status, notes, created, updated)
    }

    private static func booking(_ id: UUID, _ venue: UUID, _ title: String, _ starts: Date, _ ends: Date, _ status: String, _ notes: String?,
                                _ created: Date, _ updated: Date) throws -> Booking {
        guard let state = ReservationStatus(rawValue: status) else { throw PlatformError(.internalError, "booking \(id) status \(status) unknown") }
        return Booking(id: id, venueID: venue, title: title, startsAt: starts, endsAt: ends, status: state, notes: notes,
                       createdAt: created, updatedAt: updated)
    }
}

/// A new booking as checked.
struct ValidBooking: Sendable {
    let title: String
    let startsAt: Date
    let endsAt: Date
    let status: ReservationStatus
    let notes: String?

    init(_ input: BookingInput) throws {
        guard let title = input.title, let startsAt = input.startsAt, let endsAt = input.endsAt else {
            throw PlatformError(.validationFailed, "title, starts_at and ends_at are required")
        }
        self.title = try InputRules.text(title, "title", length: 1...200)
        try InputRules.ordered(startsAt, endsAt, "starts_at and ends_at")
        self.startsAt = startsAt
        self.endsAt = endsAt
        let status = try input.status.map { try StatusTransition.parse($0, as: ReservationStatus.self) } ?? .hold
        guard status != .canceled else { throw PlatformError(.validationFailed, "a new booking is held or confirmed") }
        self.status = status
        notes = try InputRules.optionalText(input.notes, "notes", maximum: 4000)
    }
}
