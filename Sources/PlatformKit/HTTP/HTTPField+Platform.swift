import HTTPTypes

extension HTTPField.Name {
    /// `x-request-id`: the request's id, reused from the caller when sane.
    public static let requestID = HTTPField.Name("x-request-id")!
    /// W3C `traceparent`.
    public static let traceparent = HTTPField.Name("traceparent")!
    /// The service credential on internal routes.
    public static let serviceCredential = HTTPField.Name("x-kisum-service-token")!
    /// The platform administrator on whose behalf the Admin backend calls Auth or Core
    /// (recorded in their audit trails next to the calling service).
    public static let actingUser = HTTPField.Name("x-kisum-acting-user")!
    /// `idempotency-key`: a write with the same key is applied at most once.
    public static let idempotencyKey = HTTPField.Name("idempotency-key")!
    /// `x-org`: the company a request acts in (its id or slug).
    public static let org = HTTPField.Name("x-org")!
}
