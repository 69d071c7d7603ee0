import Hummingbird
import PlatformKit

/// On routes that change identity or access: a write returns only once this instance's
/// access memory shows it (the feed's pump has read past the commit), so whoever made the
/// change reads it back at once from this instance. Reads and refusals (4xx: nothing was
/// written) pass straight through, so a stream of bad requests cannot make the pump spin.
struct SettlesAccessMemory: RouterMiddleware {
    typealias Context = PlatformRequestContext
    let feed: AccessFeedPublisher

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // A failure after a commit (a later step) still settles; a refusal wrote nothing.
            if !Self.isRefusal(error) { await feed.settle() }
            throw error
        }
        if response.status.code < 400 { await feed.settle() }
        return response
    }

    static func isRefusal(_ error: any Error) -> Bool {
        if let error = error as? PlatformError { return (400..<500).contains(error.code.status.code) }
        if let error = error as? any HTTPResponseError { return (400..<500).contains(error.status.code) }
        return false
    }
}
