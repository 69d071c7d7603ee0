import Foundation
import PlatformKit

/// The platform administrator behind a request: a valid access token, a live session and
/// platform roles as Auth holds them right now.
public struct AdminIdentity: Sendable {
    public let userID: UUID
    public let sessionID: UUID
    public let email: String
    public let roles: [String]
    public let permissions: Set<AdminPermission>

    /// How Auth's and Core's audit trails name this administrator.
    var actingUser: String { "\(email) (\(userID.lowercased))" }
}
