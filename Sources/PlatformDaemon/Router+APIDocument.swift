import Foundation
import Hummingbird
import NIOCore
import PlatformKit

extension Router where Context == PlatformRequestContext {
    /// `GET /openapi.yaml`: the daemon's API document, from its bundle (management listener).
    public func addAPIDocument(_ url: URL?) {
        get("/openapi.yaml") { _, _ in
            guard let url, let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw PlatformError(.notFound, "the API document is not installed")
            }
            return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
