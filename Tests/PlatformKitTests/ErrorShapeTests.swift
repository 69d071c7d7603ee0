import Foundation
import Hummingbird
import PlatformKit
import Testing

@Suite struct ErrorShapeTests {
    @Test func platformErrorsRenderTheOneShape() throws {
        let response = PlatformError(.rateLimited, "slow down", headers: [.retryAfter: "3"]).response(requestID: "r-9")
        #expect(response.status == .tooManyRequests)
        #expect(response.headers[.retryAfter] == "3")
    }

    @Test func foreignErrorsMapToStableCodes() {
        #expect(PlatformError.from(HTTPError(.notFound)).code == .routeNotFound)
        #expect(PlatformError.from(HTTPError(.contentTooLarge)).code == .payloadTooLarge)
        #expect(PlatformError.from(HTTPError(.methodNotAllowed)).code == .methodNotAllowed)
        #expect(PlatformError.from(DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "x"))).code == .malformedJSON)
        struct Internal: Error { let sql = "SELECT secret FROM users" }
        let mapped = PlatformError.from(Internal())
        #expect(mapped.code == .internalError)
        #expect(!mapped.message.contains("SELECT"))
    }
}
