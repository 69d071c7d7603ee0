import HTTPTypes

extension HTTPField.Name {
    /// `x-request-id`: the request's id, reused from the caller when sane.
    public static let requestID = HTTPField.Name("x-request-id")!
    /// W3C `traceparent`.
    public static let traceparent = HTTPField.Name("traceparent")!
    /// The service credential on internal routes.
    public static let serviceCredential = HTTPField.Name("x-kisum-service-token")!
}
