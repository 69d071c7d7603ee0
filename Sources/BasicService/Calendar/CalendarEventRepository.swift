import BusinessBackend
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Calendar events in `basic_db`, always within one company.
struct CalendarEventRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    /// Events overlapping [`from`, `to`) when given, in creation order.
    func list(_ scope: CompanyScope, from: Date?, to: Date?, _ page: PageRequest) async throws -> Page<CalendarEvent> {
        let rows = try await database.query("""
            SELECT position, id, title, starts_at, ends_at, location, contact_id, created_at FROM calendar_events
            WHERE company_id = \(scope.companyID) AND position > \(page.afterPosition)
              AND (\(to)::timestamptz IS NULL OR starts_at < \(to)) AND (\(from)::timestamptz IS NULL OR ends_at > \(from))
            ORDER BY position LIMIT \(page.fetchLimit)
            """, operation: "events_list", logger: logger)
        return Page(rows: try rows.map { row in
            let (position, id, title, starts, ends, location, contact, created) =
                try row.decode((Int64, UUID, String, Date, Date, String?, UUID?, Date).self)
            return (position, CalendarEvent(id: id, title: title, startsAt: starts, endsAt: ends, location: location, contactID: contact,
                                            createdAt: created))
        }, request: page)
    }

    func find(_ scope: CompanyScope, _ id: UUID) async throws -> CalendarEvent? {
        let rows = try await database.query("""
            SELECT id, title, starts_at, ends_at, location, contact_id, created_at FROM calendar_events
            WHERE company_id = \(scope.companyID) AND id = \(id)
            """, operation: "events_find", logger: logger)
        return try rows.first.map(Self.event)
    }

    /// The event, or nil when `contactID` names no contact of this company; once per `key` when
    /// one was sent (a retry gets the first answer, `.replay`).
    func create(_ scope: CompanyScope, title: String, startsAt: Date, endsAt: Date, location: String?, contactID: UUID?,
                key: IdempotencyKey?) async throws -> Created<CalendarEvent>? {
        // The contact must be the company's own: a foreign id inserts nothing, and a contact
        // deleted meanwhile fails the (company_id, contact_id) reference: the same answer.
        do {
            return try await IdempotentCreation.run(ifSent: key, company: scope.companyID, database: database, operation: "events_insert",
                                                    logger: logger) { connection in
                let rows = try await connection.query("""
                    INSERT INTO calendar_events (id, company_id, title, starts_at, ends_at, location, contact_id, created_by)
                    SELECT \(UUID()), \(scope.companyID), \(title), \(startsAt), \(endsAt), \(location), \(contactID), \(scope.userID)
                    WHERE \(contactID)::uuid IS NULL OR EXISTS (SELECT 1 FROM contacts WHERE company_id = \(scope.companyID) AND id = \(contactID))
                    RETURNING id, title, starts_at, ends_at, location, contact_id, created_at
                    """, logger: logger).collect()
                guard let row = rows.first else {
                    // Nothing to create: not an answer to keep under the key (the request may be fixed and retried).
                    throw ForeignContact()
                }
                return try Self.event(row)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            return nil
        } catch is ForeignContact {
            return nil
        }
    }

    private struct ForeignContact: Error {}

    func delete(_ scope: CompanyScope, _ id: UUID) async throws -> Bool {
        try await !database.query("DELETE FROM calendar_events WHERE company_id = \(scope.companyID) AND id = \(id) RETURNING 1",
                                  operation: "events_delete", logger: logger).isEmpty
    }

    private static func event(_ row: PostgresRow) throws -> CalendarEvent {
        let (id, title, starts, ends, location, contact, created) = try row.decode((UUID, String, Date, Date, String?, UUID?, Date).self)
        return CalendarEvent(id: id, title: title, startsAt: starts, endsAt: ends, location: location, contactID: contact, createdAt: created)
    }
}
