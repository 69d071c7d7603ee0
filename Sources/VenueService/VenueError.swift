import HTTPTypes
import PlatformKit

/// Venue's own refusals, each code in one place.
enum VenueError {
    /// A confirmation (or a confirmed booking's new times) overlapping another confirmed booking
    /// of the same venue: refused by the database's exclusion constraint.
    static let bookingOverlaps = PlatformError.Code("booking_overlaps", .conflict)
}
