import HTTPTypes
import PlatformKit

/// Market's own refusals, each code in one place.
enum MarketError {
    /// An offer on a listing that is not published (a draft is not found; a closed one is this).
    static let listingNotOpen = PlatformError.Code("listing_not_open", .conflict)
    /// A company offering on its own listing.
    static let ownListing = PlatformError.Code("own_listing", .unprocessableContent)
    /// Accepting or rejecting an offer that was already decided.
    static let offerDecided = PlatformError.Code("offer_decided", .conflict)
}
