import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformKit

/// `/v1/tours`: list (paginated), create, read and change a company's tours.
struct TourRoutes: Sendable {
    let repository: TourRepository

    func add(to routes: EnforcedRoutes) {
        routes.requires(TouringPermissions.toursRead)
            .get("tours") { request, context in
                try await repository.list(try context.company(), try PageRequest(request))
            }
            .get("tours/{id}") { _, context in
                try await found(repository.find(try context.company(), try context.uuidParameter("id")))
            }
        routes.requires(TouringPermissions.toursWrite)
            .post("tours") { request, context in
                let input = try await request.decodeJSON(as: TourInput.self, context: context)
                guard let name = input.name else { throw PlatformError(.validationFailed, "name is required") }
                let tour = try await repository.create(
                    try context.company(), name: try InputRules.text(name, "name", length: 1...200),
                    artist: try InputRules.optionalText(input.artist, "artist", maximum: 200),
                    notes: try InputRules.optionalText(input.notes, "notes", maximum: 4000))
                return EditedResponse(status: .created, response: tour)
            }
            .patch("tours/{id}") { request, context in
                let scope = try context.company(), id = try context.uuidParameter("id")
                let input = try await request.decodeJSON(as: TourInput.self, context: context)
                let name = try input.name.map { try InputRules.text($0, "name", length: 1...200) }
                let artist = try InputRules.optionalText(input.artist, "artist", maximum: 200)
                let notes = try InputRules.optionalText(input.notes, "notes", maximum: 4000)
                return try await found(repository.update(scope, id) { tour in
                    if let name { tour.name = name }
                    if input.artist != nil { tour.artist = artist }
                    if input.notes != nil { tour.notes = notes }
                })
            }
    }

    private func found(_ tour: Tour?) throws -> Tour {
        guard let tour else { throw PlatformError(.notFound, "no such tour in this company") }
        return tour
    }
}
