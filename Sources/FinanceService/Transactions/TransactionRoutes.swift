import AccessControl
import BusinessBackend
import Foundation
import HTTPTypes
import Hummingbird
import PlatformKit

/// `/v1/transactions`: list (paginated, optionally by booking date), read, and book with an
/// `Idempotency-Key` (a retried POST never books twice; its answer says `idempotent-replay`).
struct TransactionRoutes: Sendable {
    let repository: TransactionRepository

    func add(to routes: EnforcedRoutes) {
        routes.requires(FinancePermissions.transactionsRead)
            .get("transactions") { request, context in
                let query = request.uri.queryParameters
                let from = try query.get("from").map { try InputRules.date($0, "from") }
                let to = try query.get("to").map { try InputRules.date($0, "to") }
                return try await repository.list(try context.company(), from: from, to: to, try PageRequest(request))
            }
            .get("transactions/{id}") { _, context in
                guard let found = try await repository.find(try context.company(), try context.uuidParameter("id")) else {
                    throw PlatformError(.notFound, "no such transaction in this company")
                }
                return found
            }
        routes.requires(FinancePermissions.transactionsWrite)
            .post("transactions") { request, context in
                let (input, body) = try await request.decodeJSONWithBody(as: FinanceTransactionInput.self, context: context)
                let key = try IdempotencyKey(request, body: body)
                let created = try await repository.create(try context.company(), try ValidTransaction(input), key: key)
                return try IdempotentCreation.created(created, request: request, context: context)
            }
    }
}
