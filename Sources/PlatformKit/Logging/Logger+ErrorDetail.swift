import Logging

/// An error that knows how to describe itself for a server log without the data it carried
/// (a database error's description can hold a whole row, password hash included).
public protocol LogDetailedError: Error {
    /// What an operator needs to find the cause: codes, names, the statement; no values.
    var logDetail: String { get }
}

extension Logger.MetadataValue {
    /// An error's detail for server logs: its `logDetail` when it has one, else
    /// `String(reflecting:)` (PostgresNIO's errors describe themselves as "Generic description
    /// to prevent accidental leakage of sensitive data"; PlatformPostgres gives them a
    /// `logDetail`). Log sinks scrub credentials from it; it never reaches a response.
    public static func detail(of error: any Error) -> Self {
        if let detailed = error as? any LogDetailedError { return .string(detailed.logDetail) }
        return .string(String(reflecting: error))
    }

    /// An error's type name, for grouping in logs.
    public static func type(of error: any Error) -> Self {
        .string(String(reflecting: Swift.type(of: error)))
    }
}
