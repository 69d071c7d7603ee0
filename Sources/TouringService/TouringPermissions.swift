import AccessControl

/// Touring's permission table: every route's module and permission, in one place.
enum TouringPermissions {
    static let module = "touring"
    static let toursRead = AccessRequirement(module: module, permission: "touring.tours.read")
    static let toursWrite = AccessRequirement(module: module, permission: "touring.tours.write")
}
