import Hummingbird
import PlatformKit

/// Advances `signal` after every successful write Core answers (POST, PUT, PATCH, DELETE), so
/// the outbox delivers the change's signal to Auth at once rather than at its next poll.
struct WakesAfterWrites: RouterMiddleware {
    typealias Context = PlatformRequestContext
    let signal: ChangeSignal

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if request.method != .get, request.method != .head, response.status.code < 400 { signal.advance() }
        return response
    }
}
