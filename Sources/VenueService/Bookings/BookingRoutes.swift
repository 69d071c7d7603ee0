import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformKit

/// A venue's bookings: list and book under `/v1/venues/{id}/bookings`, read and change at
/// `/v1/bookings/{id}` (hold → confirmed → canceled; a confirmation that overlaps another
/// confirmed booking of the venue is 409 `booking_overlaps`).
struct BookingRoutes: Sendable {
    let repository: BookingRepository

    func add(to routes: EnforcedRoutes) {
        routes.requires(VenuePermissions.bookingsRead)
            .get("venues/{id}/bookings") { request, context in
                guard let page = try await repository.list(try context.company(), venue: try context.uuidParameter("id"), try PageRequest(request)) else {
                    throw PlatformError(.notFound, "no such venue in this company")
                }
                return page
            }
            .get("bookings/{id}") { _, context in
                try await found(repository.find(try context.company(), try context.uuidParameter("id")))
            }
        routes.requires(VenuePermissions.bookingsWrite)
            .post("venues/{id}/bookings") { request, context in
                let scope = try context.company(), venue = try context.uuidParameter("id")
                let booking = try ValidBooking(try await request.decodeJSON(as: BookingInput.self, context: context))
                guard let created = try await repository.create(scope, venue: venue, booking) else {
                    throw PlatformError(.notFound, "no such venue in this company")
                }
                return EditedResponse(status: .created, response: created)
            }
            .patch("bookings/{id}") { request, context in
                let scope = try context.company(), id = try context.uuidParameter("id")
                let input = try await request.decodeJSON(as: BookingInput.self, context: context)
                let title = try input.title.map { try InputRules.text($0, "title", length: 1...200) }
                let status = try input.status.map { try StatusTransition.parse($0, as: ReservationStatus.self) }
                let notes = try InputRules.optionalText(input.notes, "notes", maximum: 4000)
                return try await found(repository.update(scope, id) { booking in
                    if let status { booking.status = try StatusTransition.check(booking.status, to: status, "booking") }
                    if let title { booking.title = title }
                    if let starts = input.startsAt { booking.startsAt = starts }
                    if let ends = input.endsAt { booking.endsAt = ends }
                    if input.notes != nil { booking.notes = notes }
                })
            }
    }

    private func found(_ booking: Booking?) throws -> Booking {
        guard let booking else { throw PlatformError(.notFound, "no such booking in this company") }
        return booking
    }
}
