import BusinessBackend
import Foundation
import Hummingbird

/// Money in and out per month and category in one currency, against the budgets: computed by
/// the database (`ReportRepository`), nested here for the client.
struct MonthlyReport: Encodable, Sendable, ResponseEncodable {
    struct Line: Encodable, Sendable, Equatable {
        let category: String
        let incomeMinor: Int64
        let spentMinor: Int64
        /// nil when no budget was set for the category that month.
        let budgetMinor: Int64?
        /// Budget minus spent (negative: over budget); nil without a budget.
        let remainingMinor: Int64?

        enum CodingKeys: String, CodingKey {
            case category
            case incomeMinor = "income_minor"
            case spentMinor = "spent_minor"
            case budgetMinor = "budget_minor"
            case remainingMinor = "remaining_minor"
        }
    }

    struct Month: Encodable, Sendable {
        let month: String
        let incomeMinor: Int64
        let spentMinor: Int64
        let budgetMinor: Int64?
        let categories: [Line]

        enum CodingKeys: String, CodingKey {
            case month, categories
            case incomeMinor = "income_minor"
            case spentMinor = "spent_minor"
            case budgetMinor = "budget_minor"
        }
    }

    let currency: String
    let months: [Month]
}
