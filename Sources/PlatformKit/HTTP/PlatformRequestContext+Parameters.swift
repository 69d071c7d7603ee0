import Foundation
import Hummingbird

extension PlatformContext {
    /// The path parameter `name` as a UUID, or 400 `invalid_request` naming it.
    public func uuidParameter(_ name: String) throws -> UUID {
        guard let id = parameters.get(name, as: UUID.self) else { throw PlatformError(.invalidRequest, "\(name) must be a UUID") }
        return id
    }
}

extension Request {
    /// The `limit` query parameter of a paginated list, clamped to 1…`maximum`.
    public func pageLimit(default fallback: Int = 50, maximum: Int = 200) -> Int {
        min(max(uri.queryParameters.get("limit", as: Int.self) ?? fallback, 1), maximum)
    }
}
