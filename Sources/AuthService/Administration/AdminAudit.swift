import Foundation
import Hummingbird
import PlatformKit

extension SessionRepository {
    /// Records an administrative change made through an internal route: the calling service,
    /// and the person the Admin backend says is acting (`admin:{actor}`).
    func recordAdmin(_ action: String, target: String, request: Request, context: PlatformRequestContext,
                     outcome: String = "ok", details: [String: String]? = nil) async throws {
        var actor = context.notes.serviceCaller ?? "unknown"
        if let person = request.headers[.actingUser]?.prefix(200), !person.isEmpty,
           person.allSatisfy({ $0.isASCII && !$0.isNewline }) {
            actor += ":\(person)"
        }
        try await audit(actor: actor, action: action, target: target, outcome: outcome, requestID: context.trace.requestID,
                        details: details)
    }
}
