import Foundation
import ServiceAuth

/// Where the platform is and who the smoke test signs in as. In production point it at a
/// dedicated test organization: the admin step changes that organization's add-on for a
/// moment and restores it.
public struct SmokeTarget: Sendable {
    public var authURL: String
    public var authManagementURL: String
    public var coreManagementURL: String
    public var adminURL: String
    public var adminEmail: String
    public var adminPassword: String
    public var userEmail: String
    public var userPassword: String
    /// The organization (slug) whose access is checked and whose add-on is toggled.
    public var company: String
    /// The add-on to toggle, and the module it brings.
    public var addon: String
    public var module: String
    /// Reads Core's entitlements like Admin does (`admin` service key).
    public var serviceKey: ServiceKey
    /// Basic's public URL, for the business-backend checks (skipped without it).
    public var backendURL: String?

    public init(authURL: String, authManagementURL: String, coreManagementURL: String, adminURL: String, adminEmail: String,
                adminPassword: String, userEmail: String, userPassword: String, company: String, addon: String, module: String,
                serviceKey: ServiceKey, backendURL: String? = nil) {
        self.backendURL = backendURL
        self.authURL = authURL
        self.authManagementURL = authManagementURL
        self.coreManagementURL = coreManagementURL
        self.adminURL = adminURL
        self.adminEmail = adminEmail
        self.adminPassword = adminPassword
        self.userEmail = userEmail
        self.userPassword = userPassword
        self.company = company
        self.addon = addon
        self.module = module
        self.serviceKey = serviceKey
    }
}

/// One step's outcome.
public struct SmokeResult: Sendable, Equatable {
    public enum Outcome: String, Sendable { case passed, failed, skipped }

    public let name: String
    public let outcome: Outcome
    public let detail: String
    public let milliseconds: Int

    /// `✔ name (12 ms) detail`, for terminals and CI logs.
    public var line: String {
        let mark = switch outcome { case .passed: "✔"; case .failed: "✘"; case .skipped: "–" }
        return "\(mark) \(name) (\(milliseconds) ms)" + (detail.isEmpty ? "" : ": \(detail)")
    }
}

/// A failed smoke step: what was expected.
struct SmokeFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
