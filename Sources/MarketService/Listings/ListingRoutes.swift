import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformKit

/// `/v1/listings`: the market (published listings of every company and the company's own in
/// any state), one listing, create, and change (own listings only; `closed` is final).
struct ListingRoutes: Sendable {
    let repository: ListingRepository

    func add(to routes: EnforcedRoutes) {
        routes.requires(MarketPermissions.listingsRead)
            .get("listings") { request, context in
                let query = request.uri.queryParameters
                let mine = try query.get("mine").map { try InputRules.flag($0, "mine") } ?? false
                let status = try query.get("status").map { try StatusTransition.parse($0, as: ListingStatus.self) }
                return try await repository.list(try context.company(), mine: mine, status: status, try PageRequest(request))
            }
            .get("listings/{id}") { _, context in
                try await found(repository.find(try context.company(), try context.uuidParameter("id")))
            }
        routes.requires(MarketPermissions.listingsWrite)
            .post("listings") { request, context in
                let input = try await request.decodeJSON(as: ListingInput.self, context: context)
                return EditedResponse(status: .created, response: try await repository.create(try context.company(), try ValidListing(input)))
            }
            .patch("listings/{id}") { request, context in
                let scope = try context.company(), id = try context.uuidParameter("id")
                let input = try await request.decodeJSON(as: ListingInput.self, context: context)
                let title = try input.title.map { try InputRules.text($0, "title", length: 1...200) }
                let description = try InputRules.optionalText(input.description, "description", maximum: 4000)
                let price = try input.priceMinor.map { try ListingRules.price($0) }
                let currency = try input.currency.map { try InputRules.currency($0) }
                let status = try input.status.map { try StatusTransition.parse($0, as: ListingStatus.self) }
                return try await found(repository.update(scope, id) { listing in
                    guard listing.status != .closed else { throw PlatformError(StatusTransition.invalid, "a closed listing does not change") }
                    if let status { listing.status = try StatusTransition.check(listing.status, to: status, "listing") }
                    if let title { listing.title = title }
                    if input.description != nil { listing.description = description }
                    if let price { listing.priceMinor = price }
                    if let currency { listing.currency = currency }
                })
            }
    }

    private func found(_ listing: Listing?) throws -> Listing {
        guard let listing else { throw PlatformError(.notFound, "no such listing") }
        return listing
    }
}
