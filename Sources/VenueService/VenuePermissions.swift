import AccessControl

/// Venue's permission table: every route's module and permission, in one place.
enum VenuePermissions {
    static let module = "venue"
    static let venuesRead = AccessRequirement(module: module, permission: "venue.venues.read")
    static let venuesWrite = AccessRequirement(module: module, permission: "venue.venues.write")
    static let bookingsRead = AccessRequirement(module: module, permission: "venue.bookings.read")
    static let bookingsWrite = AccessRequirement(module: module, permission: "venue.bookings.write")
}
