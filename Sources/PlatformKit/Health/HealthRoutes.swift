import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Router where Context: PlatformContext {
    /// `GET /health`: the process answers. No dependency is checked.
    public func addLivenessRoute(service: String) {
        get("/health") { _, _ -> Response in
            Self.json(["status": "ok", "service": service])
        }
    }

    /// `GET /ready` (503 unless every critical check passes) and `GET /metrics`.
    public func addManagementRoutes(readiness: ReadinessProbe, metrics: PlatformMetrics) {
        get("/ready") { _, _ -> Response in
            let report = await readiness.run()
            let data = try JSONEncoder.platform.encode(report)
            return Response(status: report.isReady ? .ok : .serviceUnavailable,
                            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
    }

    static func json(_ object: [String: String]) -> Response {
        let data = (try? JSONEncoder.platform.encode(object)) ?? Data()
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
