import BusinessBackend
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Contacts in `basic_db`, always within one company.
struct ContactRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    func list(_ scope: CompanyScope, _ page: PageRequest) async throws -> Page<Contact> {
        let rows = try await database.query("""
            SELECT position, id, name, email, phone, notes, created_at, updated_at FROM contacts
            WHERE company_id = \(scope.companyID) AND position > \(page.afterPosition)
            ORDER BY position LIMIT \(page.fetchLimit)
            """, operation: "contacts_list", logger: logger)
        return Page(rows: try rows.map { row in
            let (position, id, name, email, phone, notes, created, updated) =
                try row.decode((Int64, UUID, String, String?, String?, String?, Date, Date).self)
            return (position, Contact(id: id, name: name, email: email, phone: phone, notes: notes, createdAt: created, updatedAt: updated))
        }, request: page)
    }

    func find(_ scope: CompanyScope, _ id: UUID) async throws -> Contact? {
        let rows = try await database.query("""
            SELECT id, name, email, phone, notes, created_at, updated_at FROM contacts
            WHERE company_id = \(scope.companyID) AND id = \(id)
            """, operation: "contacts_find", logger: logger)
        return try rows.first.map(Self.contact)
    }

    /// Creates the contact once per `key` when one was sent (a retry gets the first answer,
    /// `.replay`).
    func create(_ scope: CompanyScope, name: String, email: String?, phone: String?, notes: String?, key: IdempotencyKey?) async throws
        -> Created<Contact> {
        try await IdempotentCreation.run(ifSent: key, company: scope.companyID, database: database, operation: "contacts_insert",
                                         logger: logger) { connection in
            let rows = try await connection.query("""
                INSERT INTO contacts (id, company_id, name, email, phone, notes, created_by)
                VALUES (\(UUID()), \(scope.companyID), \(name), \(email), \(phone), \(notes), \(scope.userID))
                RETURNING id, name, email, phone, notes, created_at, updated_at
                """, logger: logger).collect()
            return try Self.contact(rows[0])
        }
    }

    /// The contact as `change` leaves it, or nil if the company has no such contact. The row is
    /// locked while it changes: two concurrent changes of different fields both stay.
    func update(_ scope: CompanyScope, _ id: UUID, _ change: @Sendable (inout Contact) throws -> Void) async throws -> Contact? {
        try await database.withTransaction("contacts_update", logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT id, name, email, phone, notes, created_at, updated_at FROM contacts
                WHERE company_id = \(scope.companyID) AND id = \(id) FOR UPDATE
                """, logger: logger).collect()
            guard var contact = try rows.first.map(Self.contact) else { return nil }
            try change(&contact)
            let updated = try await connection.query("""
                UPDATE contacts SET name = \(contact.name), email = \(contact.email), phone = \(contact.phone), notes = \(contact.notes),
                    updated_at = now()
                WHERE company_id = \(scope.companyID) AND id = \(id)
                RETURNING id, name, email, phone, notes, created_at, updated_at
                """, logger: logger).collect()
            return try updated.first.map(Self.contact)
        }
    }

    /// Whether the company had the contact.
    func delete(_ scope: CompanyScope, _ id: UUID) async throws -> Bool {
        try await !database.query("DELETE FROM contacts WHERE company_id = \(scope.companyID) AND id = \(id) RETURNING 1",
                                  operation: "contacts_delete", logger: logger).isEmpty
    }

    private static func contact(_ row: PostgresRow) throws -> Contact {
        let (id, name, email, phone, notes, created, updated) = try row.decode((UUID, String, String?, String?, String?, Date, Date).self)
        return Contact(id: id, name: name, email: email, phone: phone, notes: notes, createdAt: created, updatedAt: updated)
    }
}
