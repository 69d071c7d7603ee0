import Foundation
import PlatformKit

/// Inputs that carry a reason for the audit trail.
protocol Reasoned {
    var reason: String? { get }
}

struct ReasonInput: Decodable, Sendable, Reasoned {
    var reason: String?
}

struct SubscriptionInput: Decodable, Sendable, Reasoned {
    var packageKey: String
    var status: SubscriptionStatus
    var periodStart: Date
    var periodEnd: Date?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case status, reason
        case packageKey = "package_key"
        case periodStart = "period_start"
        case periodEnd = "period_end"
    }

    var subscription: CompanySubscription {
        CompanySubscription(packageKey: packageKey, status: status, period: BillingPeriod(start: periodStart, end: periodEnd))
    }

    func validate() throws {
        guard isCatalogKey(packageKey) else { throw PlatformError(.validationFailed, "package_key is not a catalog key") }
        try validatePeriod(periodStart, periodEnd)
    }
}

struct AddonInput: Decodable, Sendable, Reasoned {
    var status: SubscriptionStatus
    var periodStart: Date
    var periodEnd: Date?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case status, reason
        case periodStart = "period_start"
        case periodEnd = "period_end"
    }

    func validate() throws { try validatePeriod(periodStart, periodEnd) }
}

func validatePeriod(_ start: Date, _ end: Date?) throws {
    if let end, end <= start { throw PlatformError(.validationFailed, "period_end must be after period_start") }
}

struct CatalogItemInput: Decodable, Sendable, Reasoned {
    var key: String
    var name: String
    var modules: [String]?
    var module: String?
    var reason: String?

    func validate() throws {
        guard isCatalogKey(key) else { throw PlatformError(.validationFailed, "key must be 2-40 of a-z, 0-9, _ starting with a letter") }
        try TextInput.requireLength(name, 1...200, field: "name")
        for module in (modules ?? []) + [module].compactMap({ $0 }) where !isCatalogKey(module) {
            throw PlatformError(.validationFailed, "\(module) is not a module key")
        }
    }
}

struct PackageUpdateInput: Decodable, Sendable, Reasoned {
    var name: String
    var modules: [String]
    var expectedVersion: Int
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case name, modules, reason
        case expectedVersion = "expected_version"
    }
}

struct RetireInput: Decodable, Sendable, Reasoned {
    var expectedVersion: Int
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case reason
        case expectedVersion = "expected_version"
    }
}

struct RenameInput: Decodable, Sendable, Reasoned {
    var name: String
    var expectedVersion: Int
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case name, reason
        case expectedVersion = "expected_version"
    }
}
