import BusinessBackend
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// Budgets in `finance_db`, always within one company.
struct BudgetRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    func list(_ scope: CompanyScope, month: CalendarDate) async throws -> [Budget] {
        let rows = try await database.query("""
            SELECT to_char(month, 'YYYY-MM-DD'), category, currency, amount_minor FROM budgets
            WHERE company_id = \(scope.companyID) AND month = \(month.description)::date ORDER BY category, currency LIMIT 1000
            """, operation: "budgets_list", logger: logger)
        return try rows.map(Self.budget)
    }

    /// Sets (or replaces) the budget.
    func set(_ scope: CompanyScope, _ budget: Budget) async throws -> Budget {
        let rows = try await database.query("""
            INSERT INTO budgets (company_id, month, category, currency, amount_minor, updated_by)
            VALUES (\(scope.companyID), \(budget.month.description)::date, \(budget.category), \(budget.currency), \(budget.amountMinor),
                    \(scope.userID))
            ON CONFLICT (company_id, month, category, currency)
                DO UPDATE SET amount_minor = excluded.amount_minor, updated_by = excluded.updated_by, updated_at = now()
            RETURNING to_char(month, 'YYYY-MM-DD'), category, currency, amount_minor
            """, operation: "budgets_upsert", logger: logger)
        return try Self.budget(rows[0])
    }

    private static func budget(_ row: PostgresRow) throws -> Budget {
        let (month, category, currency, amount) = try row.decode((String, String, String, Int64).self)
        guard let date = CalendarDate(month) else { throw PlatformError(.internalError, "month \(month) read back malformed") }
        return Budget(month: date, category: category, currency: currency, amountMinor: amount)
    }
}
