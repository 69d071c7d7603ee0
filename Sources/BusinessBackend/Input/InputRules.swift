import Foundation
import PlatformKit

/// The checks business input goes through, each refusing with 422 `validation_failed` and the
/// field's name (text has already passed `TextInput`'s control-character and length checks).
public enum InputRules {
    /// `value` trimmed, `length` characters long (counted as PostgreSQL's `length()` counts them:
    /// code points, so a check here is the CHECK constraint's, never a 500 from it).
    public static func text(_ value: String, _ field: String, length: ClosedRange<Int>) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard length.contains(TextInput.length(trimmed)) else {
            throw PlatformError(.validationFailed, "\(field) must be \(length.lowerBound) to \(length.upperBound) characters")
        }
        return trimmed
    }

    /// Like `text`, nil (or empty) allowed.
    public static func optionalText(_ value: String?, _ field: String, maximum: Int) throws -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try text(value, field, length: 1...maximum)
    }

    /// An e-mail address (one `@`, a dot in the domain, no spaces), lower-cased; nil allowed.
    public static func email(_ value: String?, _ field: String = "email") throws -> String? {
        guard let value = try optionalText(value, field, maximum: 254) else { return nil }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !value.contains(where: \.isWhitespace) else {
            throw PlatformError(.validationFailed, "\(field) is not an e-mail address")
        }
        return value.lowercased()
    }

    /// An ISO 4217 currency code: three upper-case letters.
    public static func currency(_ value: String, _ field: String = "currency") throws -> String {
        guard value.utf8.count == 3, value.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
            throw PlatformError(.validationFailed, "\(field) must be an ISO 4217 code such as EUR")
        }
        return value
    }

    /// A calendar date `YYYY-MM-DD` that exists.
    public static func date(_ value: String, _ field: String) throws -> CalendarDate {
        guard let date = CalendarDate(value) else { throw PlatformError(.validationFailed, "\(field) must be a date YYYY-MM-DD") }
        return date
    }

    /// A month `YYYY-MM`, as the first day of it.
    public static func month(_ value: String, _ field: String) throws -> CalendarDate {
        guard value.utf8.count == 7, let date = CalendarDate(value + "-01") else {
            throw PlatformError(.validationFailed, "\(field) must be a month YYYY-MM")
        }
        return date
    }

    /// One of `allowed`.
    public static func oneOf(_ value: String, _ field: String, _ allowed: [String]) throws -> String {
        guard allowed.contains(value) else { throw PlatformError(.validationFailed, "\(field) must be one of \(allowed.joined(separator: ", "))") }
        return value
    }

    /// `true` or `false` (a query flag).
    public static func flag(_ value: String, _ field: String) throws -> Bool {
        switch value {
        case "true": return true
        case "false": return false
        default: throw PlatformError(.validationFailed, "\(field) must be true or false")
        }
    }

    /// A UUID (a reference in a query or body).
    public static func uuid(_ value: String, _ field: String) throws -> UUID {
        guard let id = UUID(uuidString: value) else { throw PlatformError(.validationFailed, "\(field) must be a UUID") }
        return id
    }

    /// `start` strictly before `end`.
    public static func ordered(_ start: Date, _ end: Date, _ fields: String) throws {
        guard start < end else { throw PlatformError(.validationFailed, "\(fields): the start must be before the end") }
    }
}
