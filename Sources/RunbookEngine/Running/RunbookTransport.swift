/// How a runbook's steps reach the Admin API (HTTP with the operator's token in production;
/// an in-memory stand-in in tests).
public protocol RunbookTransport: Sendable {
    /// One call; throws only when no answer came (an HTTP error status is an answer).
    func send(method: String, path: String, body: JSONValue?) async throws -> RunbookReply
}

/// An answer to one step.
public struct RunbookReply: Sendable, Equatable {
    public let status: Int
    /// The body when it is JSON.
    public let body: JSONValue?

    public init(status: Int, body: JSONValue?) {
        self.status = status
        self.body = body
    }

    /// The platform's error code and message, when the body is an error.
    public var errorText: String? {
        guard let code = body?.value(at: "error.code")?.text else { return nil }
        return code + (body?.value(at: "error.message").map { ": \($0.text)" } ?? "")
    }
}
