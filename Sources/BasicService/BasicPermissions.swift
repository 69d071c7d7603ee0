import AccessControl

/// Basic's permission table: every route's module and permission, in one place. Basic is the
/// Core App: its routes also need the company's Basic subscription (`core_app_visible`).
enum BasicPermissions {
    static let module = "core_app"
    static let contactsRead = AccessRequirement(module: module, permission: "core_app.contacts.read")
    static let contactsWrite = AccessRequirement(module: module, permission: "core_app.contacts.write")
    static let calendarRead = AccessRequirement(module: module, permission: "core_app.calendar.read")
    static let calendarWrite = AccessRequirement(module: module, permission: "core_app.calendar.write")
}
