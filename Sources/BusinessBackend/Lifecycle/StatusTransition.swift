import HTTPTypes
import PlatformKit

/// A state a business row moves through (a listing, a show, a booking): which moves are allowed
/// is the type's; the refusal is one code everywhere.
public protocol StatusLifecycle: RawRepresentable<String>, Sendable, CaseIterable {
    /// Whether a row in this state may move to `next` (staying put included).
    func mayBecome(_ next: Self) -> Bool
}

/// 409 `invalid_transition`: a state change the lifecycle does not allow.
public enum StatusTransition {
    public static let invalid = PlatformError.Code("invalid_transition", .conflict)

    /// `next`, or 409 `invalid_transition` naming both states.
    public static func check<Status: StatusLifecycle>(_ current: Status, to next: Status, _ noun: String) throws -> Status {
        guard current.mayBecome(next) else {
            throw PlatformError(invalid, "a \(current.rawValue) \(noun) cannot become \(next.rawValue)")
        }
        return next
    }

    /// The state named `value`, or 422 `validation_failed` listing the states.
    public static func parse<Status: StatusLifecycle>(_ value: String, _ field: String = "status", as type: Status.Type = Status.self) throws -> Status {
        guard let status = Status(rawValue: value) else {
            throw PlatformError(.validationFailed, "\(field) must be one of \(Status.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return status
    }
}

/// A reservation's state (a show on a tour, a booking of a venue): held, then confirmed, and
/// either may be canceled; canceled is final and confirmed never returns to a hold.
public enum ReservationStatus: String, Codable, StatusLifecycle {
    case hold, confirmed, canceled

    public func mayBecome(_ next: ReservationStatus) -> Bool {
        switch (self, next) {
        case (.hold, _), (.confirmed, .confirmed), (.confirmed, .canceled), (.canceled, .canceled): true
        case (.confirmed, .hold), (.canceled, _): false
        }
    }
}
