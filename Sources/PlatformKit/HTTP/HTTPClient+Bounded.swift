import AsyncHTTPClient
import NIOCore

extension HTTPClient {
    /// Sends `request` and reads the whole body, all within `timeout`. AsyncHTTPClient's own
    /// deadline ends once the response head has arrived, so a peer that stalls mid-body would
    /// otherwise hold the caller for good. Throws `DeadlineExceeded` past the limit and
    /// AsyncHTTPClient's errors otherwise (a body over `maxBytes` among them).
    public func exchange(_ request: HTTPClientRequest, timeout: Duration,
                         maxBytes: Int) async throws -> (head: HTTPClientResponse, body: ByteBuffer) {
        let deadline = ContinuousClock.now + timeout
        let response = try await execute(request, timeout: .nanoseconds(Int64(timeout.milliseconds * 1_000_000)))
        let remaining = max(deadline - ContinuousClock.now, .milliseconds(1))
        let body = try await withDeadline(remaining) { try await response.body.collect(upTo: maxBytes) }
        return (response, body)
    }
}
