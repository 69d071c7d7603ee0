import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformKit

/// Offers: make one on another company's published listing, list and read the offers the
/// company made or received, and accept or reject those on its own listings.
struct OfferRoutes: Sendable {
    let repository: OfferRepository

    func add(to routes: EnforcedRoutes) {
        routes.requires(MarketPermissions.offersRead)
            .get("offers") { request, context in
                let query = request.uri.queryParameters
                let side = try query.get("side").map { value in
                    guard let side = OfferRepository.Side(rawValue: value) else {
                        throw PlatformError(.validationFailed, "side must be sent or received")
                    }
                    return side
                }
                let listing = try query.get("listing_id").map { try InputRules.uuid($0, "listing_id") }
                return try await repository.list(try context.company(), side: side, listing: listing, try PageRequest(request))
            }
            .get("offers/{id}") { _, context in
                try await found(repository.find(try context.company(), try context.uuidParameter("id")))
            }
        routes.requires(MarketPermissions.offersWrite)
            .post("listings/{id}/offers") { request, context in
                let scope = try context.company(), listing = try context.uuidParameter("id")
                let offer = try ValidOffer(try await request.decodeJSON(as: OfferInput.self, context: context))
                guard let made = try await repository.create(scope, listing: listing, offer) else {
                    throw PlatformError(.notFound, "no such listing")
                }
                return EditedResponse(status: .created, response: made)
            }
            .post("offers/{id}/accept") { _, context in
                try await found(repository.decide(try context.company(), try context.uuidParameter("id"), accept: true))
            }
            .post("offers/{id}/reject") { _, context in
                try await found(repository.decide(try context.company(), try context.uuidParameter("id"), accept: false))
            }
    }

    private func found(_ offer: Offer?) throws -> Offer {
        guard let offer else { throw PlatformError(.notFound, "no such offer") }
        return offer
    }
}
