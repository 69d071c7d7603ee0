import AccessControl
import Foundation

/// The company a request acts in, as the enforcement layer granted it. Every statement of a
/// business backend is scoped by `companyID`: a row of another company is never read, written
/// or even confirmed to exist (it is "not found").
public struct CompanyScope: Sendable, Equatable {
    public let companyID: UUID
    /// Who acts (recorded as the author of what they create).
    public let userID: UUID
    public let membershipID: UUID

    public init(companyID: UUID, userID: UUID, membershipID: UUID) {
        self.companyID = companyID
        self.userID = userID
        self.membershipID = membershipID
    }
}

extension AccessRequestContext {
    /// The granted company of this request (500 if the route is not behind enforcement).
    public func company() throws -> CompanyScope {
        let (identity, access) = try granted()
        return CompanyScope(companyID: access.companyID, userID: identity.userID, membershipID: access.membershipID)
    }
}
