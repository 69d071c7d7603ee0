import Foundation
import Hummingbird

/// The lifecycle state of a subscription or a company add-on.
public enum SubscriptionStatus: String, Codable, Sendable, CaseIterable {
    case trialing, active
    case pastDue = "past_due"
    case canceled, expired

    /// Whether this status grants anything (within its period).
    public var grants: Bool { self == .trialing || self == .active }
}

/// A time window `[start, end)`; `end` nil means open-ended.
public struct BillingPeriod: Codable, Sendable, Equatable {
    public var start: Date
    public var end: Date?

    public init(start: Date, end: Date?) {
        self.start = start
        self.end = end
    }

    public func contains(_ instant: Date) -> Bool {
        instant >= start && (end.map { instant < $0 } ?? true)
    }
}

/// A company's package subscription.
public struct CompanySubscription: Codable, Sendable, Equatable, ResponseEncodable {
    public var packageKey: String
    public var status: SubscriptionStatus
    public var period: BillingPeriod

    enum CodingKeys: String, CodingKey {
        case status, period
        case packageKey = "package_key"
    }

    /// Grants its package's modules at `instant`: by status and by period.
    public func isEffective(at instant: Date) -> Bool { status.grants && period.contains(instant) }

    public init(packageKey: String, status: SubscriptionStatus, period: BillingPeriod) {
        self.packageKey = packageKey
        self.status = status
        self.period = period
    }
}

/// An add-on a company holds.
public struct CompanyAddon: Codable, Sendable, Equatable, ResponseEncodable {
    public var addonKey: String
    public var status: SubscriptionStatus
    public var period: BillingPeriod

    enum CodingKeys: String, CodingKey {
        case status, period
        case addonKey = "addon_key"
    }

    public func isEffective(at instant: Date) -> Bool { status.grants && period.contains(instant) }

    public init(addonKey: String, status: SubscriptionStatus, period: BillingPeriod) {
        self.addonKey = addonKey
        self.status = status
        self.period = period
    }
}
