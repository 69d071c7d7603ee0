import Logging

/// The access log: one JSON line per request in a fixed shape, formatted straight from typed
/// fields into the daemon's log sink — no metadata dictionaries merged and sorted per request
/// (at `info`, as deployed, every request writes one; through swift-log it cost as much as the
/// rest of a trivial request). Same line shape, redaction and sink as `JSONLogHandler`.
public struct AccessLog: Sendable {
    /// What one line says.
    public struct Entry: Sendable {
        public var level: Logger.Level
        public var listener: String
        public var route: String
        public var method: String
        public var path: String
        public var status: Int
        public var duration: Duration
        public var requestID: String
        public var traceID: String
        public var userID: String?
        public var sessionID: String?
        public var companyID: String?
        public var callerService: String?
        public var errorCode: String?
        public var errorMessage: String?
    }

    /// The lowest level written (`LOG_LEVEL`).
    public let threshold: Logger.Level
    private let sink: any LogSink
    /// `,"service":…,"env":…,"instance":…,"logger":"kisum.<service>"`, escaped once (the
    /// logger the access line had when it went through swift-log).
    private let constantFields: String

    public init(service: String, environment: String, instance: String, threshold: Logger.Level, sink: any LogSink) {
        self.threshold = threshold
        self.sink = sink
        var fields = ""
        fields.appendJSONField("service", service)
        fields.appendJSONField("env", environment)
        fields.appendJSONField("instance", instance)
        fields.appendJSONField("logger", "kisum.\(service)")
        constantFields = fields
    }

    /// Whether a line at `level` is written at all (check before building an entry).
    public func writes(_ level: Logger.Level) -> Bool { level >= threshold }

    /// Writes `entry` (keys in alphabetical order, as `JSONLogHandler` writes metadata).
    /// Strings a client chose (path, method, request id, error message) are scrubbed.
    public func write(_ entry: Entry) {
        guard writes(entry.level) else { return }
        var line = "{"
        line.reserveCapacity(512)
        line.appendJSONField("ts", JSONLogHandler.timestamp(), first: true)
        line.appendJSONField("level", entry.level.rawValue)
        line.append(constantFields)
        line.appendJSONField("msg", "request completed")
        if let value = entry.callerService { line.appendJSONField("caller_service", LogRedaction.scrub(value)) }
        if let value = entry.companyID { line.appendJSONField("company_id", LogRedaction.scrub(value)) }
        line.appendJSONField("duration_ms", entry.duration.millisecondsText)
        if let value = entry.errorCode { line.appendJSONField("error_code", value) }
        if let value = entry.errorMessage { line.appendJSONField("error_message", LogRedaction.scrub(value)) }
        line.appendJSONField("listener", entry.listener)
        line.appendJSONField("method", LogRedaction.scrub(entry.method))
        line.appendJSONField("path", LogRedaction.scrub(entry.path))
        line.appendJSONField("request_id", LogRedaction.scrub(entry.requestID))
        line.appendJSONField("route", LogRedaction.scrub(entry.route))
        if let value = entry.sessionID { line.appendJSONField("session_id", LogRedaction.scrub(value)) }
        line.appendJSONField("status", String(entry.status))
        line.appendJSONField("trace_id", entry.traceID)
        if let value = entry.userID { line.appendJSONField("user_id", LogRedaction.scrub(value)) }
        line.append("}")
        sink.write(line: line, urgent: entry.level >= .critical)
    }
}
