import BusinessBackend
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Listings in `market_db`. A company reads its own listings in every state and other
/// companies' only once published; it writes only its own.
struct ListingRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    static let columns = "id, company_id, title, description, price_minor, currency, status, created_at, updated_at"

    /// What `scope` may see, in creation order: `mine` only its own, `status` only that state.
    func list(_ scope: CompanyScope, mine: Bool, status: ListingStatus?, _ page: PageRequest) async throws -> Page<Listing> {
        let rows = try await database.query("""
            SELECT position, id, company_id, title, description, price_minor, currency, status, created_at, updated_at FROM listings
            WHERE position > \(page.afterPosition)
              AND (company_id = \(scope.companyID) OR (NOT \(mine) AND status <> 'draft'))
              AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)::text)
            ORDER BY position LIMIT \(page.fetchLimit)
            """, operation: "listings_list", logger: logger)
        return Page(rows: try rows.map { row in
            let (position, id, company, title, description, price, currency, status, created, updated) =
                try row.decode((Int64, UUID, UUID, String, String?, Int64?, String, String, Date, Date).self)
            return (position, try Self.listing(id, company, title, description, price, currency, status, created, updated))
        }, request: page)
    }

    /// The listing if `scope` may see it.
    func find(_ scope: CompanyScope, _ id: UUID) async throws -> Listing? {
        let rows = try await database.query("""
            SELECT id, company_id, title, description, price_minor, currency, status, created_at, updated_at FROM listings
            WHERE id = \(id) AND (company_id = \(scope.companyID) OR status <> 'draft')
            """, operation: "listings_find", logger: logger)
        return try rows.first.map(Self.listing)
    }

    func create(_ scope: CompanyScope, _ listing: ValidListing) async throws -> Listing {
        let rows = try await database.query("""
            INSERT INTO listings (id, company_id, title, description, price_minor, currency, status, created_by)
            VALUES (\(UUID()), \(scope.companyID), \(listing.title), \(listing.description), \(listing.priceMinor), \(listing.currency),
                    \(listing.status.rawValue), \(scope.userID))
            RETURNING id, company_id, title, description, price_minor, currency, status, created_at, updated_at
            """, operation: "listings_insert", logger: logger)
        return try Self.listing(rows[0])
    }

    /// The own listing as `change` leaves it (nil if the company has no such listing), the row
    /// locked meanwhile; `change` throws to refuse.
    func update(_ scope: CompanyScope, _ id: UUID, _ change: @Sendable (inout Listing) throws -> Void) async throws -> Listing? {
        try await database.withTransaction("listings_update", logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT id, company_id, title, description, price_minor, currency, status, created_at, updated_at FROM listings
                WHERE company_id = \(scope.companyID) AND id = \(id) FOR UPDATE
                """, logger: logger).collect()
            guard var listing = try rows.first.map(Self.listing) else { return nil }
            try change(&listing)
            let updated = try await connection.query("""
                UPDATE listings SET title = \(listing.title), description = \(listing.description), price_minor = \(listing.priceMinor),
                    currency = \(listing.currency), status = \(listing.status.rawValue), updated_at = now()
                WHERE company_id = \(scope.companyID) AND id = \(id)
                RETURNING id, company_id, title, description, price_minor, currency, status, created_at, updated_at
                """, logger: logger).collect()
            if listing.status == .closed {
                // Closed by its owner: what was still pending on it is rejected with it.
                _ = try await connection.query("""
                    UPDATE offers SET status = 'rejected', decided_by = \(scope.userID), decided_at = now()
                    WHERE listing_id = \(id) AND status = 'pending'
                    """, logger: logger).collect()
            }
            return try updated.first.map(Self.listing)
        }
    }

    static func listing(_ row: PostgresRow) throws -> Listing {
        let (id, company, title, description, price, currency, status, created, updated) =
            try row.decode((UUID, UUID, String, String?, Int64?, String, String, Date, Date).self)
        return try listing(id, company, title, description, price, currency, status, created, updated)
    }

    private static func listing(_ id: UUID, _ company: UUID, _ title: String, _ description: String?, _ price: Int64?, _ currency: String,
                                _ status: String, _ created: Date, _ updated: Date) throws -> Listing {
        guard let state = ListingStatus(rawValue: status) else { throw PlatformError(.internalError, "listing status \(status) unknown") }
        return Listing(id: id, companyID: company, title: title, description: description, priceMinor: price, currency: currency,
                       status: state, createdAt: created, updatedAt: updated)
    }
}

/// A new listing as checked.
struct ValidListing: Sendable {
    let title: String
    let description: String?
    let priceMinor: Int64?
    let currency: String
    let status: ListingStatus

    init(_ input: ListingInput) throws {
        guard let title = input.title, let currency = input.currency else {
            throw PlatformError(.validationFailed, "title and currency are required")
        }
        self.title = try InputRules.text(title, "title", length: 1...200)
        description = try InputRules.optionalText(input.description, "description", maximum: 4000)
        priceMinor = try input.priceMinor.map { try ListingRules.price($0) }
        self.currency = try InputRules.currency(currency)
        let status = try input.status.map { try StatusTransition.parse($0, as: ListingStatus.self) } ?? .draft
        guard status != .closed else { throw PlatformError(.validationFailed, "a new listing is a draft or published") }
        self.status = status
    }
}

/// The checks of a listing's fields, shared by create and change.
enum ListingRules {
    static func price(_ value: Int64) throws -> Int64 {
        guard (0...1_000_000_000_000_00).contains(value) else {
            throw PlatformError(.validationFailed, "price_minor must be from 0 to 10^14")
        }
        return value
    }
}
