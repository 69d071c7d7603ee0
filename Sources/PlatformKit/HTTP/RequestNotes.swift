import Logging
import NIOConcurrencyHelpers

/// Facts that inner layers learn about a request (who the caller is) and that the outer
/// lifecycle middleware needs for the access log. A reference shared by every copy of the
/// request's context, because contexts are values.
public final class RequestNotes: Sendable {
    private struct State {
        var userID: String?
        var sessionID: String?
        var companyID: String?
        var serviceCaller: String?
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// The authenticated user's identifiers, safe to log (never tokens).
    public func identify(userID: String? = nil, sessionID: String? = nil, companyID: String? = nil) {
        state.withLockedValue { state in
            if let userID { state.userID = userID }
            if let sessionID { state.sessionID = sessionID }
            if let companyID { state.companyID = companyID }
        }
    }

    /// The verified calling service on internal routes.
    public var serviceCaller: String? {
        get { state.withLockedValue { $0.serviceCaller } }
        set { state.withLockedValue { $0.serviceCaller = newValue } }
    }

    /// Log metadata for what is known.
    public var metadata: Logger.Metadata {
        state.withLockedValue { state in
            var metadata: Logger.Metadata = [:]
            if let value = state.userID { metadata["user_id"] = .string(value) }
            if let value = state.sessionID { metadata["session_id"] = .string(value) }
            if let value = state.companyID { metadata["company_id"] = .string(value) }
            if let value = state.serviceCaller { metadata["caller_service"] = .string(value) }
            return metadata
        }
    }
}
