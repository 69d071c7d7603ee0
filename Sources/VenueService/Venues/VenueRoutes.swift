import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformKit

/// `/v1/venues`: list (paginated), create, read and change a company's venues.
struct VenueRoutes: Sendable {
    let repository: VenueRepository

    func add(to routes: EnforcedRoutes) {
        routes.requires(VenuePermissions.venuesRead)
            .get("venues") { request, context in
                try await repository.list(try context.company(), try PageRequest(request))
            }
            .get("venues/{id}") { _, context in
                try await found(repository.find(try context.company(), try context.uuidParameter("id")))
            }
        routes.requires(VenuePermissions.venuesWrite)
            .post("venues") { request, context in
                let input = try await request.decodeJSON(as: VenueInput.self, context: context)
                guard let name = input.name else { throw PlatformError(.validationFailed, "name is required") }
                let venue = try await repository.create(
                    try context.company(), name: try InputRules.text(name, "name", length: 1...200),
                    city: try InputRules.optionalText(input.city, "city", maximum: 200), capacity: try VenueRules.capacity(input.capacity))
                return EditedResponse(status: .created, response: venue)
            }
            .patch("venues/{id}") { request, context in
                let scope = try context.company(), id = try context.uuidParameter("id")
                let input = try await request.decodeJSON(as: VenueInput.self, context: context)
                let name = try input.name.map { try InputRules.text($0, "name", length: 1...200) }
                let city = try InputRules.optionalText(input.city, "city", maximum: 200)
                let capacity = try VenueRules.capacity(input.capacity)
                return try await found(repository.update(scope, id) { venue in
                    if let name { venue.name = name }
                    if input.city != nil { venue.city = city }
                    if let capacity { venue.capacity = capacity }
                })
            }
    }

    private func found(_ venue: Venue?) throws -> Venue {
        guard let venue else { throw PlatformError(.notFound, "no such venue in this company") }
        return venue
    }
}
