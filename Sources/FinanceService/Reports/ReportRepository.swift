import BusinessBackend
import Foundation
import Logging
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// The monthly report, summed by the database (per category and per month in one statement).
struct ReportRepository: Sendable {
    let database: PlatformDatabase
    let logger: Logger

    /// Months `from` through `to` (firsts of months) in `currency`.
    func monthly(_ scope: CompanyScope, from: CalendarDate, to: CalendarDate, currency: String) async throws -> MonthlyReport {
        let rows = try await database.query("""
            WITH actual AS (
                SELECT date_trunc('month', booked_on)::date AS month, category,
                       coalesce(sum(amount_minor) FILTER (WHERE amount_minor > 0), 0) AS income,
                       coalesce(-sum(amount_minor) FILTER (WHERE amount_minor < 0), 0) AS spent
                FROM transactions
                WHERE company_id = \(scope.companyID) AND currency = \(currency)
                  AND booked_on >= \(from.description)::date AND booked_on < (\(to.description)::date + interval '1 month')
                GROUP BY 1, 2),
            planned AS (
                SELECT month, category, amount_minor FROM budgets
                WHERE company_id = \(scope.companyID) AND currency = \(currency)
                  AND month BETWEEN \(from.description)::date AND \(to.description)::date),
            lines AS (
                SELECT coalesce(a.month, p.month) AS month, coalesce(a.category, p.category) AS category,
                       coalesce(a.income, 0) AS income, coalesce(a.spent, 0) AS spent, p.amount_minor AS budget
                FROM actual a FULL JOIN planned p ON a.month = p.month AND a.category = p.category)
            SELECT to_char(month, 'YYYY-MM'), category, sum(income)::bigint, sum(spent)::bigint, sum(budget)::bigint,
                   grouping(category) = 1 AS total
            FROM lines GROUP BY GROUPING SETS ((month, category), (month))
            ORDER BY 1, total DESC, 2
            """, operation: "report_monthly", logger: logger)
        var months: [MonthlyReport.Month] = []
        var current: (month: String, income: Int64, spent: Int64, budget: Int64?)?
        var lines: [MonthlyReport.Line] = []
        func close() {
            if let current {
                months.append(.init(month: current.month, incomeMinor: current.income, spentMinor: current.spent,
                                    budgetMinor: current.budget, categories: lines))
            }
            lines = []
        }
        for row in rows {
            let (month, category, income, spent, budget, total) = try row.decode((String, String?, Int64, Int64, Int64?, Bool).self)
            if total {
                close()  // the month's total comes first (ORDER BY total DESC), then its categories
                current = (month, income, spent, budget)
            } else if let category {
                lines.append(.init(category: category, incomeMinor: income, spentMinor: spent, budgetMinor: budget,
                                   remainingMinor: budget.map { $0 - spent }))
            }
        }
        close()
        return MonthlyReport(currency: currency, months: months)
    }
}
