import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformKit

/// A tour's shows: list and add under `/v1/tours/{id}/shows`, read and change at `/v1/shows/{id}`
/// (hold → confirmed → canceled; canceled is final).
struct ShowRoutes: Sendable {
    let repository: ShowRepository

    func add(to routes: EnforcedRoutes) {
        routes.requires(TouringPermissions.toursRead)
            .get("tours/{id}/shows") { request, context in
                guard let page = try await repository.list(try context.company(), tour: try context.uuidParameter("id"), try PageRequest(request)) else {
                    throw PlatformError(.notFound, "no such tour in this company")
                }
                return page
            }
            .get("shows/{id}") { _, context in
                try await found(repository.find(try context.company(), try context.uuidParameter("id")))
            }
        routes.requires(TouringPermissions.toursWrite)
            .post("tours/{id}/shows") { request, context in
                let scope = try context.company(), tour = try context.uuidParameter("id")
                let show = try ValidShow(try await request.decodeJSON(as: ShowInput.self, context: context))
                guard let created = try await repository.create(scope, tour: tour, show) else {
                    throw PlatformError(.notFound, "no such tour in this company")
                }
                return EditedResponse(status: .created, response: created)
            }
            .patch("shows/{id}") { request, context in
                let scope = try context.company(), id = try context.uuidParameter("id")
                let input = try await request.decodeJSON(as: ShowInput.self, context: context)
                let date = try input.date.map { try InputRules.date($0, "date") }
                let city = try input.city.map { try InputRules.text($0, "city", length: 1...200) }
                let venue = try InputRules.optionalText(input.venueRef, "venue_ref", maximum: 200)
                let status = try input.status.map { try StatusTransition.parse($0, as: ReservationStatus.self) }
                let notes = try InputRules.optionalText(input.notes, "notes", maximum: 4000)
                return try await found(repository.update(scope, id) { show in
                    if let status { show.status = try StatusTransition.check(show.status, to: status, "show") }
                    if let date { show.date = date }
                    if let city { show.city = city }
                    if input.venueRef != nil { show.venueRef = venue }
                    if input.notes != nil { show.notes = notes }
                })
            }
    }

    private func found(_ show: Show?) throws -> Show {
        guard let show else { throw PlatformError(.notFound, "no such show in this company") }
        return show
    }
}
