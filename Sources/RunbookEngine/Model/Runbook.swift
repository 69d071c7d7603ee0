/// One scripted runbook, read from a file in `runbooks/`: its inputs, and the steps it takes
/// through the Admin backend's API under the operator's own identity (so every step is
/// authorised by platform RBAC and audited by Admin).
public struct Runbook: Sendable, Equatable, Codable {
    /// What running it can do.
    public enum Risk: String, Sendable, Codable, CaseIterable, Comparable {
        /// Reads only (diagnostics).
        case read
        /// Changes something that is easily undone.
        case change
        /// Ends sessions, retires keys: always confirmed by typing the target.
        case destructive

        public static func < (lhs: Risk, rhs: Risk) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public let name: String
    public let title: String
    public let summary: String
    public let risk: Risk
    public let inputs: [RunbookInput]
    /// Destructive runbooks: the input whose value the operator must type to confirm.
    public let confirm: String?
    public let steps: [RunbookStep]
    /// Where the spec or the README says more (shown with the runbook).
    public let reference: String?
}

/// A value the operator supplies.
public struct RunbookInput: Sendable, Equatable, Codable {
    /// How a value is checked before anything runs.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case uuid, email, name, text, boolean
    }

    public let name: String
    public let summary: String
    public let kind: Kind
    /// Used when the operator gives none; an input without one is required.
    public let `default`: String?
}

/// One call to the Admin API and what to read from its answer.
public struct RunbookStep: Sendable, Equatable, Codable {
    public struct Request: Sendable, Equatable, Codable {
        public let method: String
        /// `/admin/v1/…` with `{placeholders}` for inputs and earlier captures.
        public let path: String
        public let body: JSONValue?
    }

    public let name: String
    public let request: Request
    /// Statuses that count as success (default: 200).
    public let expect: [Int]?
    /// Values kept for later steps: name → dotted path in the answer (`users.0.id`).
    public let capture: [String: String]?
    /// Parts of the answer shown to the operator (dotted paths; empty: the whole answer).
    public let show: [String]?
    /// Explains the result when the step fails (what to check next).
    public let onFailure: String?

    enum CodingKeys: String, CodingKey {
        case name, request, expect, capture, show
        case onFailure = "on_failure"
    }

    /// The statuses that count as success.
    public var successStatuses: [Int] { expect ?? [200] }
}
