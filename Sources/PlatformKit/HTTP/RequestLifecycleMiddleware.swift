import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The outermost middleware of every listener: assigns the request id and trace context,
/// enforces the body limit, turns every error into the one error shape, echoes the ids,
/// writes one structured access-log line and records the request metrics.
public struct RequestLifecycleMiddleware<Context: PlatformContext>: RouterMiddleware {
    /// The public listener's answers are data, never a document.
    public static var apiContentSecurityPolicy: String { "default-src 'none'; frame-ancestors 'none'" }

    let listener: String
    let metrics: PlatformMetrics
    let maxBodyBytes: Int
    let accessLog: AccessLog

    public init(listener: String, metrics: PlatformMetrics, maxBodyBytes: Int, accessLog: AccessLog) {
        self.listener = listener
        self.metrics = metrics
        self.maxBodyBytes = maxBodyBytes
        self.accessLog = accessLog
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        let trace = RequestTrace(requestIDHeader: request.headers[.requestID], traceparentHeader: request.headers[.traceparent])
        context.trace = trace
        context.maxBodyBytes = maxBodyBytes
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: "request_id"] = .string(trace.requestID)
        context.logger[metadataKey: "trace_id"] = .string(trace.traceID)
        context.logger[metadataKey: "method"] = .string(request.method.rawValue)

        metrics.requestStarted()
        defer { metrics.requestFinished() }

        var response: Response
        var failure: PlatformError?
        do {
            if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
                throw PlatformError(.payloadTooLarge, "The request body is larger than \(maxBodyBytes) bytes.")
            }
            if let problem = TextInput.problem(inURI: request.uri.string) {
                throw PlatformError(.invalidText, problem)
            }
            response = try await RequestTrace.$current.withValue(trace) {
                try await next(request, context)
            }
        } catch {
            let mapped = PlatformError.from(error)
            failure = mapped
            if mapped.code.status.code >= 500 && !(error is PlatformError) {
                // The full error stays in our logs (scrubbed); the client sees only the code.
                context.logger.error("unhandled error", metadata: ["error_type": .string(String(reflecting: type(of: error))),
                                                                  "error_detail": .detail(of: error)])
            }
            response = mapped.response(requestID: trace.requestID)
        }
        response.headers[.requestID] = trace.requestID
        response.headers[.traceparent] = trace.traceparent
        if listener == "public" {
            // JSON APIs: nothing here may be framed, run or sniffed as something else, whatever
            // the ingress in front adds (a cluster's controller sets no per-host policy).
            if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = Self.apiContentSecurityPolicy }
            response.headers[.xContentTypeOptions] = "nosniff"
        }

        let duration = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(listener: listener, route: route, method: request.method.rawValue,
                              status: response.status.code, duration: duration)

        // The access line is built only when its level is written (management probes at info
        // level cost nothing here).
        let level: Logger.Level = response.status.code >= 500 ? .error : (listener == "management" && failure == nil && !context.notes.logsEveryRequest ? .debug : .info)
        if accessLog.writes(level) {
            let known = context.notes.known
            accessLog.write(AccessLog.Entry(
                level: level, listener: listener, route: route, method: request.method.rawValue, path: request.uri.path,
                status: response.status.code, duration: duration, requestID: trace.requestID, traceID: trace.traceID,
                userID: known.userID, sessionID: known.sessionID, companyID: known.companyID, callerService: known.serviceCaller,
                errorCode: failure?.code.name, errorMessage: failure?.message))
        }
        return response
    }
}

extension Duration {
    /// Milliseconds as a floating point number.
    public var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }

    /// Milliseconds with two decimals ("12.34"), as access logs carry them (without
    /// `String(format:)`, which goes through Foundation's formatter on every request).
    public var millisecondsText: String {
        let hundredths = max(0, Int((milliseconds * 100).rounded()))
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Whole milliseconds (rounded down), as wire formats such as `wait_ms` carry them.
    public var wholeMilliseconds: Int { Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
}
