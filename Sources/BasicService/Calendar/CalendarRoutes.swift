import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformKit

/// `/v1/events`: a company's calendar (list with an optional time window, create, read, delete).
struct CalendarRoutes: Sendable {
    let repository: CalendarEventRepository

    func add(to routes: EnforcedRoutes) {
        routes.requires(BasicPermissions.calendarRead)
            .get("events") { request, context in
                let query = request.uri.queryParameters
                let from = try query.get("from").map { try Self.instant($0, "from") }
                let to = try query.get("to").map { try Self.instant($0, "to") }
                if let from, let to { try InputRules.ordered(from, to, "from and to") }
                return try await repository.list(try context.company(), from: from, to: to, try PageRequest(request))
            }
            .get("events/{id}") { _, context in
                guard let event = try await repository.find(try context.company(), try context.uuidParameter("id")) else { throw notFound }
                return event
            }
        routes.requires(BasicPermissions.calendarWrite)
            .post("events") { request, context in
                let (input, body) = try await request.decodeJSONWithBody(as: CalendarEventInput.self, context: context)
                let key = try IdempotencyKey.ifSent(request, body: body)
                try InputRules.ordered(input.startsAt, input.endsAt, "starts_at and ends_at")
                let created = try await repository.create(
                    try context.company(), title: try InputRules.text(input.title, "title", length: 1...200), startsAt: input.startsAt,
                    endsAt: input.endsAt, location: try InputRules.optionalText(input.location, "location", maximum: 200),
                    contactID: input.contactID, key: key)
                guard let created else { throw PlatformError(.validationFailed, "contact_id names no contact of this company") }
                return try IdempotentCreation.created(created, request: request, context: context)
            }
            .delete("events/{id}") { _, context in
                guard try await repository.delete(try context.company(), try context.uuidParameter("id")) else { throw notFound }
                return Response(status: .noContent)
            }
    }

    private var notFound: PlatformError { PlatformError(.notFound, "no such event in this company") }

    /// An ISO 8601 instant from the query string, or 422 naming the parameter.
    static func instant(_ text: String, _ name: String) throws -> Date {
        guard let date = Date(iso8601: text) else {
            throw PlatformError(.validationFailed, "\(name) must be an ISO 8601 time such as 2026-12-01T09:00:00Z")
        }
        return date
    }
}
