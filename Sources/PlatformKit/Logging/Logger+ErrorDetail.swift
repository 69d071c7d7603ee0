import Logging

extension Logger.MetadataValue {
    /// An error's full detail for server logs: `String(reflecting:)`, because PostgresNIO's
    /// errors describe themselves as "Generic description to prevent accidental leakage of
    /// sensitive data" and keep the server's message for their debug description. Log sinks
    /// scrub credentials from it; it never reaches a response.
    public static func detail(of error: any Error) -> Self {
        .string(String(reflecting: error))
    }

    /// An error's type name, for grouping in logs.
    public static func type(of error: any Error) -> Self {
        .string(String(reflecting: Swift.type(of: error)))
    }
}
