import Foundation
import Hummingbird
import NIOCore
import PlatformKit

/// The request context of an enforced route: the platform's context plus the caller's
/// verified identity and access, set by the enforcement middleware before any handler runs.
public struct AccessRequestContext: ChildRequestContext, PlatformContext {
    public typealias ParentContext = PlatformRequestContext

    public var coreContext: CoreRequestContextStorage
    public var trace: RequestTrace
    public var maxBodyBytes: Int
    public let notes: RequestNotes
    public let remoteAddress: SocketAddress?
    /// Who is calling (nil only before the enforcement middleware ran).
    public var identity: VerifiedIdentity?
    /// What they may do in the company of `x-org`.
    public var access: AccessSnapshot?

    public init(context: PlatformRequestContext) throws {
        coreContext = context.coreContext
        trace = context.trace
        maxBodyBytes = context.maxBodyBytes
        notes = context.notes
        remoteAddress = context.remoteAddress
    }

    public var maxUploadSize: Int { maxBodyBytes }
    public var responseEncoder: JSONEncoder { .platform }

    /// The granted access; a handler reached without it is a wiring defect, refused as 500.
    public func granted() throws -> (identity: VerifiedIdentity, access: AccessSnapshot) {
        guard let identity, let access else { throw PlatformError(.internalError, "The route is not behind access enforcement.") }
        return (identity, access)
    }
}
