import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformKit

/// `/v1/budgets`: what a company plans to spend per month, category and currency.
struct BudgetRoutes: Sendable {
    let repository: BudgetRepository

    struct Input: Decodable, Sendable {
        let month: String
        let category: String
        let currency: String
        let amountMinor: Int64
        enum CodingKeys: String, CodingKey { case month, category, currency, amountMinor = "amount_minor" }
    }

    func add(to routes: EnforcedRoutes) {
        routes.requires(FinancePermissions.budgetsRead)
            .get("budgets") { request, context in
                guard let month = request.uri.queryParameters.get("month") else {
                    throw PlatformError(.validationFailed, "month is required (YYYY-MM)")
                }
                return BudgetList(items: try await repository.list(try context.company(), month: try InputRules.month(month, "month")))
            }
        routes.requires(FinancePermissions.budgetsWrite)
            .put("budgets") { request, context in
                let input = try await request.decodeJSON(as: Input.self, context: context)
                guard (0...1_000_000_000_000_00).contains(input.amountMinor) else {
                    throw PlatformError(.validationFailed, "amount_minor must be 0 or more (at most 10^14)")
                }
                return try await repository.set(try context.company(), Budget(
                    month: try InputRules.month(input.month, "month"), category: try InputRules.text(input.category, "category", length: 1...64),
                    currency: try InputRules.currency(input.currency), amountMinor: input.amountMinor))
            }
    }
}

/// A month's budget for one category and currency (`month` written `YYYY-MM`, as it is sent).
struct Budget: Encodable, Sendable, Equatable, ResponseEncodable {
    /// The first day of the month.
    let month: CalendarDate
    let category: String
    let currency: String
    let amountMinor: Int64

    enum CodingKeys: String, CodingKey { case month, category, currency, amountMinor = "amount_minor" }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(month.description.prefix(7)), forKey: .month)
        try container.encode(category, forKey: .category)
        try container.encode(currency, forKey: .currency)
        try container.encode(amountMinor, forKey: .amountMinor)
    }
}

struct BudgetList: Encodable, Sendable, ResponseEncodable {
    let items: [Budget]
}
