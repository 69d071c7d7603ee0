import Foundation
import Hummingbird
import NIOCore
import PlatformKit

extension AdminRoutes {
    /// `GET /admin/v1/operations/overview` (`operations.read`).
    func addOperations(to group: RouterGroup<PlatformRequestContext>) {
        group.get("operations/overview") { request, context in
            _ = try await gate.require(.operationsRead, request, context)
            let report = await overview.report()
            return Upstream.Answer(status: 200, body: ByteBuffer(bytes: try JSONEncoder.platform.encode(report))).response
        }
    }
}
