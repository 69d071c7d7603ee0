import AccessControl

/// Market's permission table: every route's module and permission, in one place.
enum MarketPermissions {
    static let module = "market"
    static let listingsRead = AccessRequirement(module: module, permission: "market.listings.read")
    static let listingsWrite = AccessRequirement(module: module, permission: "market.listings.write")
    static let offersRead = AccessRequirement(module: module, permission: "market.offers.read")
    static let offersWrite = AccessRequirement(module: module, permission: "market.offers.write")
}
