import BusinessBackend
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Transactions in `finance_db`, always within one company.
struct TransactionRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    /// Booked between `from` and `to` (inclusive) when given, in the order they were recorded.
    func list(_ scope: CompanyScope, from: CalendarDate?, to: CalendarDate?, _ page: PageRequest) async throws -> Page<FinanceTransaction> {
        let rows = try await database.query("""
            SELECT position, id, amount_minor, currency, category, to_char(booked_on, 'YYYY-MM-DD'), counterparty, memo, created_at FROM transactions
            WHERE company_id = \(scope.companyID) AND position > \(page.afterPosition)
              AND (\(from?.description)::date IS NULL OR booked_on >= \(from?.description)::date)
              AND (\(to?.description)::date IS NULL OR booked_on <= \(to?.description)::date)
            ORDER BY position LIMIT \(page.fetchLimit)
            """, operation: "transactions_list", logger: logger)
        return Page(rows: try rows.map { row in
            let (position, id, amount, currency, category, booked, counterparty, memo, created) =
                try row.decode((Int64, UUID, Int64, String, String, String, String?, String?, Date).self)
            return (position, try Self.transaction(id, amount, currency, category, booked, counterparty, memo, created))
        }, request: page)
    }

    func find(_ scope: CompanyScope, _ id: UUID) async throws -> FinanceTransaction? {
        let rows = try await database.query("""
            SELECT id, amount_minor, currency, category, to_char(booked_on, 'YYYY-MM-DD'), counterparty, memo, created_at FROM transactions
            WHERE company_id = \(scope.companyID) AND id = \(id)
            """, operation: "transactions_find", logger: logger)
        return try rows.first.map(Self.transaction)
    }

    /// Books `input` once per idempotency key: the first request creates, a retry (even a
    /// concurrent one) gets the first answer (`.replay`).
    func create(_ scope: CompanyScope, _ input: ValidTransaction, key: IdempotencyKey) async throws -> Created<FinanceTransaction> {
        try await IdempotentCreation.run(key, company: scope.companyID, database: database, operation: "transactions_insert",
                                         logger: logger) { connection in
            let rows = try await connection.query("""
                INSERT INTO transactions (id, company_id, amount_minor, currency, category, booked_on, counterparty, memo, created_by)
                VALUES (\(UUID()), \(scope.companyID), \(input.amountMinor), \(input.currency), \(input.category),
                        \(input.bookedOn.description)::date, \(input.counterparty), \(input.memo), \(scope.userID))
                RETURNING id, amount_minor, currency, category, to_char(booked_on, 'YYYY-MM-DD'), counterparty, memo, created_at
                """, logger: logger).collect()
            return try Self.transaction(rows[0])
        }
    }

    private static func transaction(_ row: PostgresRow) throws -> FinanceTransaction {
        let (id, amount, currency, category, booked, counterparty, memo, created) =
            try row.decode((UUID, Int64, String, String, String, String?, String?, Date).self)
        return try transaction(id, amount, currency, category, booked, counterparty, memo, created)
    }

    private static func transaction(_ id: UUID, _ amount: Int64, _ currency: String, _ category: String, _ booked: String,
                                    _ counterparty: String?, _ memo: String?, _ created: Date) throws -> FinanceTransaction {
        guard let bookedOn = CalendarDate(booked) else { throw PlatformError(.internalError, "booked_on \(booked) read back malformed") }
        return FinanceTransaction(id: id, amountMinor: amount, currency: currency, category: category, bookedOn: bookedOn,
                                  counterparty: counterparty, memo: memo, createdAt: created)
    }
}

/// A transaction as checked, ready to book.
struct ValidTransaction: Sendable {
    let amountMinor: Int64
    let currency: String
    let category: String
    let bookedOn: CalendarDate
    let counterparty: String?
    let memo: String?

    init(_ input: FinanceTransactionInput) throws {
        guard input.amountMinor != 0, input.amountMinor.magnitude <= 1_000_000_000_000_00 else {
            throw PlatformError(.validationFailed, "amount_minor must be non-zero (positive in, negative out) and at most 10^14 in size")
        }
        amountMinor = input.amountMinor
        currency = try InputRules.currency(input.currency)
        category = try InputRules.text(input.category, "category", length: 1...64)
        bookedOn = try InputRules.date(input.bookedOn, "booked_on")
        counterparty = try InputRules.optionalText(input.counterparty, "counterparty", maximum: 200)
        memo = try InputRules.optionalText(input.memo, "memo", maximum: 2000)
    }
}
