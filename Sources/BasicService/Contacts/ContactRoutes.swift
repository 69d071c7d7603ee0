import AccessControl
import BusinessBackend
import Foundation
import Hummingbird
import PlatformKit

/// `/v1/contacts`: list (paginated), create, read, change and delete a company's contacts.
struct ContactRoutes: Sendable {
    let repository: ContactRepository

    func add(to routes: EnforcedRoutes) {
        routes.requires(BasicPermissions.contactsRead)
            .get("contacts") { request, context in
                try await repository.list(try context.company(), try PageRequest(request))
            }
            .get("contacts/{id}") { _, context in
                try await found(repository.find(try context.company(), try context.uuidParameter("id")))
            }
        routes.requires(BasicPermissions.contactsWrite)
            .post("contacts") { request, context in
                let (input, body) = try await request.decodeJSONWithBody(as: ContactInput.self, context: context)
                let key = try IdempotencyKey.ifSent(request, body: body)
                guard let name = input.name else { throw PlatformError(.validationFailed, "name is required") }
                let created = try await repository.create(
                    try context.company(), name: try InputRules.text(name, "name", length: 1...200), email: try InputRules.email(input.email),
                    phone: try InputRules.optionalText(input.phone, "phone", maximum: 50),
                    notes: try InputRules.optionalText(input.notes, "notes", maximum: 2000), key: key)
                return try IdempotentCreation.created(created, request: request, context: context)
            }
            .patch("contacts/{id}") { request, context in
                let scope = try context.company(), id = try context.uuidParameter("id")
                let input = try await request.decodeJSON(as: ContactInput.self, context: context)
                // Checked before the row is locked; applied to the row as it is then.
                let name = try input.name.map { try InputRules.text($0, "name", length: 1...200) }
                let email = try InputRules.email(input.email)
                let phone = try InputRules.optionalText(input.phone, "phone", maximum: 50)
                let notes = try InputRules.optionalText(input.notes, "notes", maximum: 2000)
                return try await found(repository.update(scope, id) { contact in
                    if let name { contact.name = name }
                    if input.email != nil { contact.email = email }
                    if input.phone != nil { contact.phone = phone }
                    if input.notes != nil { contact.notes = notes }
                })
            }
            .delete("contacts/{id}") { _, context in
                guard try await repository.delete(try context.company(), try context.uuidParameter("id")) else { throw notFound }
                return Response(status: .noContent)
            }
    }

    private var notFound: PlatformError { PlatformError(.notFound, "no such contact in this company") }

    private func found(_ contact: Contact?) throws -> Contact {
        guard let contact else { throw notFound }
        return contact
    }
}
