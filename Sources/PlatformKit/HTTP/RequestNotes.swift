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
        var logEveryRequest = false
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

    /// Log this request's access line as a public listener's is (at `info`), though the
    /// management listener served it (the benchmark twin of public routes).
    public func logEveryRequest() { state.withLockedValue { $0.logEveryRequest = true } }

    /// Whether `logEveryRequest()` was called.
    public var logsEveryRequest: Bool { state.withLockedValue { $0.logEveryRequest } }

    /// What is known, for the access line.
    public var known: (userID: String?, sessionID: String?, companyID: String?, serviceCaller: String?) {
        state.withLockedValue { ($0.userID, $0.sessionID, $0.companyID, $0.serviceCaller) }
    }
}
