import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformKit

/// `GET /v1/reports/monthly?from=YYYY-MM&to=YYYY-MM&currency=EUR` (at most 24 months).
struct ReportRoutes: Sendable {
    let repository: ReportRepository

    func add(to routes: EnforcedRoutes) {
        routes.requires(FinancePermissions.reportsRead)
            .get("reports/monthly") { request, context in
                let query = request.uri.queryParameters
                guard let fromText = query.get("from"), let toText = query.get("to"), let currency = query.get("currency") else {
                    throw PlatformError(.validationFailed, "from, to (YYYY-MM) and currency are required")
                }
                let from = try InputRules.month(fromText, "from"), to = try InputRules.month(toText, "to")
                let months = (to.year - from.year) * 12 + to.month - from.month + 1
                guard (1...24).contains(months) else { throw PlatformError(.validationFailed, "from..to must span 1 to 24 months") }
                return try await repository.monthly(try context.company(), from: from, to: to, currency: try InputRules.currency(currency))
            }
    }
}
