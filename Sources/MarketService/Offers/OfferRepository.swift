import BusinessBackend
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Offers in `market_db`. An offer is seen only by the company that made it and the company
/// that owns its listing, and decided only by the latter.
struct OfferRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    /// Which offers of a company a list shows.
    enum Side: String, Sendable {
        /// Offers the company made.
        case sent
        /// Offers on the company's listings.
        case received
    }

    func list(_ scope: CompanyScope, side: Side?, listing: UUID?, _ page: PageRequest) async throws -> Page<Offer> {
        let rows = try await database.query("""
            SELECT o.position, o.id, o.listing_id, o.company_id, o.amount_minor, o.currency, o.message, o.status, o.created_at, o.decided_at
            FROM offers o JOIN listings l ON l.id = o.listing_id
            WHERE o.position > \(page.afterPosition)
              AND CASE \(side?.rawValue)::text WHEN 'sent' THEN o.company_id = \(scope.companyID)
                                               WHEN 'received' THEN l.company_id = \(scope.companyID)
                                               ELSE o.company_id = \(scope.companyID) OR l.company_id = \(scope.companyID) END
              AND (\(listing)::uuid IS NULL OR o.listing_id = \(listing)::uuid)
            ORDER BY o.position LIMIT \(page.fetchLimit)
            """, operation: "offers_list", logger: logger)
        return Page(rows: try rows.map { row in
            let (position, id, listing, company, amount, currency, message, status, created, decided) =
                try row.decode((Int64, UUID, UUID, UUID, Int64, String, String?, String, Date, Date?).self)
            return (position, try Self.offer(id, listing, company, amount, currency, message, status, created, decided))
        }, request: page)
    }

    func find(_ scope: CompanyScope, _ id: UUID) async throws -> Offer? {
        let rows = try await database.query("""
            SELECT o.id, o.listing_id, o.company_id, o.amount_minor, o.currency, o.message, o.status, o.created_at, o.decided_at
            FROM offers o JOIN listings l ON l.id = o.listing_id
            WHERE o.id = \(id) AND (o.company_id = \(scope.companyID) OR l.company_id = \(scope.companyID))
            """, operation: "offers_find", logger: logger)
        return try rows.first.map(Self.offer)
    }

    /// An offer by `scope` on another company's published listing; nil if `scope` cannot see
    /// the listing. The listing is locked against closing meanwhile.
    func create(_ scope: CompanyScope, listing: UUID, _ offer: ValidOffer) async throws -> Offer? {
        try await database.withTransaction("offers_insert", logger: logger) { connection in
            let listings = try await connection.query("""
                SELECT company_id, status FROM listings
                WHERE id = \(listing) AND (company_id = \(scope.companyID) OR status <> 'draft') FOR SHARE
                """, logger: logger).collect()
            guard let (owner, status) = try listings.first?.decode((UUID, String).self) else { return nil }
            guard owner != scope.companyID else { throw PlatformError(MarketError.ownListing, "a company does not offer on its own listing") }
            guard status == ListingStatus.published.rawValue else {
                throw PlatformError(MarketError.listingNotOpen, "the listing is \(status); offers are taken only while it is published")
            }
            let rows = try await connection.query("""
                INSERT INTO offers (id, listing_id, company_id, amount_minor, currency, message, created_by)
                VALUES (\(UUID()), \(listing), \(scope.companyID), \(offer.amountMinor), \(offer.currency), \(offer.message), \(scope.userID))
                RETURNING id, listing_id, company_id, amount_minor, currency, message, status, created_at, decided_at
                """, logger: logger).collect()
            return try Self.offer(rows[0])
        }
    }

    /// Accepts or rejects a pending offer on one of `scope`'s listings (nil if there is no such
    /// offer). Accepting closes the listing and rejects its other pending offers, all at once.
    func decide(_ scope: CompanyScope, _ id: UUID, accept: Bool) async throws -> Offer? {
        try await database.withTransaction("offers_decide", logger: logger) { connection in
            // The listing first, then the offer: every decision on a listing queues on its row.
            let found = try await connection.query("""
                SELECT l.id, l.status FROM listings l JOIN offers o ON o.listing_id = l.id
                WHERE o.id = \(id) AND l.company_id = \(scope.companyID) FOR UPDATE OF l
                """, logger: logger).collect()
            guard let (listing, listingStatus) = try found.first?.decode((UUID, String).self) else { return nil }
            let current = try await connection.query("SELECT status FROM offers WHERE id = \(id) AND listing_id = \(listing)",
                                                     logger: logger).collect()
            let status = try current[0].decode(String.self)
            guard status == OfferStatus.pending.rawValue else {
                throw PlatformError(MarketError.offerDecided, "the offer was already \(status)")
            }
            guard listingStatus == ListingStatus.published.rawValue else {
                throw PlatformError(MarketError.listingNotOpen, "the listing is \(listingStatus); offers are decided only while it is published")
            }
            let decided = try await connection.query("""
                UPDATE offers SET status = \(accept ? "accepted" : "rejected"), decided_by = \(scope.userID), decided_at = now()
                WHERE id = \(id) AND listing_id = \(listing)
                RETURNING id, listing_id, company_id, amount_minor, currency, message, status, created_at, decided_at
                """, logger: logger).collect()
            if accept {
                _ = try await connection.query("""
                    UPDATE offers SET status = 'rejected', decided_by = \(scope.userID), decided_at = now()
                    WHERE listing_id = \(listing) AND status = 'pending'
                    """, logger: logger).collect()
                _ = try await connection.query("UPDATE listings SET status = 'closed', updated_at = now() WHERE id = \(listing)",
                                               logger: logger).collect()
            }
            return try Self.offer(decided[0])
        }
    }

    static func offer(_ row: PostgresRow) throws -> Offer {
        let (id, listing, company, amount, currency, message, status, created, decided) =
            try row.decode((UUID, UUID, UUID, Int64, String, String?, String, Date, Date?).self)
        return try offer(id, listing, company, amount, currency, message, status, created, decided)
    }

    private static func offer(_ id: UUID, _ listing: UUID, _ company: UUID, _ amount: Int64, _ currency: String, _ message: String?,
                              _ status: String, _ created: Date, _ decided: Date?) throws -> Offer {
        guard let state = OfferStatus(rawValue: status) else { throw PlatformError(.internalError, "offer status \(status) unknown") }
        return Offer(id: id, listingID: listing, companyID: company, amountMinor: amount, currency: currency, message: message,
                     status: state, createdAt: created, decidedAt: decided)
    }
}

/// An offer as checked.
struct ValidOffer: Sendable {
    let amountMinor: Int64
    let currency: String
    let message: String?

    init(_ input: OfferInput) throws {
        guard (1...1_000_000_000_000_00).contains(input.amountMinor) else {
            throw PlatformError(.validationFailed, "amount_minor must be from 1 to 10^14")
        }
        amountMinor = input.amountMinor
        currency = try InputRules.currency(input.currency)
        message = try InputRules.optionalText(input.message, "message", maximum: 2000)
    }
}
