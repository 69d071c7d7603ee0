import Hummingbird
import PlatformKit

/// On routes that change identity or access: a write returns only once this instance's
/// access memory shows it (the feed's pump has read past the commit), so whoever made the
/// change reads it back at once from this instance. Reads pass straight through.
struct SettlesAccessMemory: RouterMiddleware {
    typealias Context = PlatformRequestContext
    let feed: AccessFeedPublisher

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            await feed.settle()  // a refusal may follow a commit (an audit or a later step failing)
            throw error
        }
        await feed.settle()
        return response
    }
}
