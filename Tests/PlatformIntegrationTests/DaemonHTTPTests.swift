import Foundation
import PlatformKit
import PlatformTesting
import ServiceAuth
import Testing

@Suite struct DaemonHTTPTests {
    @Test func healthAndReadinessAnswer() async throws {
        try await CanaryHarness.with { canary in
            let health = try await TestHTTP.get(canary.publicURL + "/health")
            #expect(health.status == 200)
            #expect(try await eventually(within: .seconds(15)) { try await TestHTTP.get(canary.managementURL + "/ready").status == 200 })
            let ready = try await TestHTTP.get(canary.managementURL + "/ready")
            let report = try ready.json()
            #expect(report["status"] as? String == "ready")
            let checks = try #require(report["checks"] as? [[String: Any]])
            #expect(Set(checks.compactMap { $0["name"] as? String }) == ["postgres", "redis"])
            #expect(checks.allSatisfy { $0["latency_ms"] is Double })
            // Readiness and metrics are not on the public listener.
            #expect(try await TestHTTP.get(canary.publicURL + "/ready").status == 404)
            #expect(try await TestHTTP.get(canary.publicURL + "/metrics").status == 404)
        }
    }

    @Test func everyFailureHasTheOneErrorShapeAndItsOwnCode() async throws {
        try await CanaryHarness.with(["HTTP_MAX_BODY_BYTES": "256"]) { canary in
            let url = canary.publicURL + "/v1/echo"
            let json = [("content-type", "application/json")]
            let cases: [(TestResponse, Int, String)] = [
                (try await TestHTTP.send("POST", url, headers: json, body: "{not json"), 400, "malformed_json"),
                (try await TestHTTP.send("POST", url, headers: json, body: #"{"msg":"x"}"#), 400, "malformed_json"),
                (try await TestHTTP.send("POST", url, headers: [("content-type", "text/plain")], body: #"{"message":"x"}"#), 415, "unsupported_media_type"),
                (try await TestHTTP.send("POST", url, headers: json, body: "{\"message\":\"\(String(repeating: "x", count: 400))\"}"), 413, "payload_too_large"),
                (try await TestHTTP.send("POST", url, headers: json, body: #"{"message":""}"#), 422, "validation_failed"),
                (try await TestHTTP.get(canary.publicURL + "/v1/nowhere"), 404, "route_not_found"),
                (try await TestHTTP.get(canary.publicURL + "/v1/notes/abc"), 400, "invalid_request"),
                (try await TestHTTP.get(canary.publicURL + "/v1/notes/999999"), 404, "not_found"),
            ]
            for (response, status, code) in cases {
                #expect(response.status == status, "\(code): \(response.body)")
                #expect(response.errorCode == code, "\(response.body)")
                let error = try #require(try response.json()["error"] as? [String: Any])
                #expect(error["request_id"] as? String == response.header("x-request-id"))
                #expect((error["message"] as? String)?.isEmpty == false)
                #expect(response.header("content-type")?.hasPrefix("application/json") == true)
            }
            let ok = try await TestHTTP.send("POST", url, headers: json, body: #"{"message":"hi"}"#)
            #expect(ok.status == 200)
            #expect(try ok.json()["message"] as? String == "hi")
        }
    }

    @Test func requestIDsAndTraceContextAreContinuedEchoedAndLogged() async throws {
        try await CanaryHarness.with { canary in
            let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            let response = try await TestHTTP.get(canary.publicURL + "/v1/echo",
                                                  headers: [("x-request-id", "req-abc-1"), ("traceparent", parent)])
            #expect(response.header("x-request-id") == "req-abc-1")
            // Public answers are data: never framed, run or sniffed, whatever ingress is in front.
            #expect(response.header("content-security-policy") == "default-src 'none'; frame-ancestors 'none'")
            #expect(response.header("x-content-type-options") == "nosniff")
            #expect(try await TestHTTP.get(canary.managementURL + "/health").header("content-security-policy") == nil)
            let echoed = try #require(response.header("traceparent"))
            #expect(echoed.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
            #expect(echoed != parent)
            let body = try response.json()
            #expect(body["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(body["parent_span_id"] as? String == "00f067aa0ba902b7")

            let fresh = try await TestHTTP.get(canary.publicURL + "/v1/echo", headers: [("x-request-id", "bad id with spaces")])
            #expect(fresh.header("x-request-id") != "bad id with spaces")

            let lines = canary.logs.lines.filter { $0.contains("\"request_id\":\"req-abc-1\"") }
            #expect(!lines.isEmpty)
            #expect(lines.allSatisfy { $0.contains("\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"") })
            let access = try #require(lines.first { $0.contains("request completed") })
            for field in ["\"route\":\"/v1/echo\"", "\"method\":\"GET\"", "\"status\":\"200\"", "\"duration_ms\"", "\"service\":\"canary\"", "\"env\":\"local\""] {
                #expect(access.contains(field), "\(field) missing in \(access)")
            }
        }
    }

    @Test func outgoingServiceCallsCarryTheIDsAndACredential() async throws {
        // Two canaries sharing the `canary` identity: the relay calls the callee's internal
        // whoami with its service credential while handling a request.
        let key = ServiceKey()
        try await CanaryHarness.with(key: key) { callee in
            try await CanaryHarness.with(["CANARY_PEER_URL": callee.managementURL], key: key) { relay in
                let token = try await ServiceCredentialSigner(service: "canary", key: key).token(for: "canary")
                let parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                let response = try await TestHTTP.send("POST", relay.managementURL + "/internal/v1/relay", headers: [
                    ("x-kisum-service-token", token), ("x-request-id", "relay-1"), ("traceparent", parent),
                ])
                #expect(response.status == 200, "\(response.body)")
                let whoami = try response.json()
                #expect(whoami["caller"] as? String == "canary")
                #expect(whoami["request_id"] as? String == "relay-1")
                #expect(whoami["trace_id"] as? String == "0af7651916cd43dd8448eb211c80319c")
                // The callee's parent span is the relay's outgoing child span, not the original caller's.
                let calleeParent = try #require(whoami["parent_span_id"] as? String)
                #expect(calleeParent != "b7ad6b7169203331")
                #expect(callee.logs.lines.contains { $0.contains("\"request_id\":\"relay-1\"") && $0.contains("/internal/v1/whoami") })
            }
        }
    }

    @Test func internalRoutesRequireAnAllowedServiceCredential() async throws {
        let key = ServiceKey(), outsider = ServiceKey()
        try await CanaryHarness.with(key: key, trusting: ["finance": outsider]) { canary in
            let url = canary.managementURL + "/internal/v1/whoami"

            let missing = try await TestHTTP.get(url)
            #expect(missing.status == 401)
            #expect(missing.errorCode == "service_credential_required")

            let bearerOnly = try await TestHTTP.get(url, headers: [("authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig")])
            #expect(bearerOnly.status == 401)

            let forged = try await ServiceCredentialSigner(service: "canary", key: ServiceKey()).token(for: "canary")
            let invalid = try await TestHTTP.get(url, headers: [("x-kisum-service-token", forged)])
            #expect(invalid.status == 401)
            #expect(invalid.errorCode == "service_credential_invalid")

            // finance is trusted (its key is known) but not allowed to call the canary.
            let finance = try await ServiceCredentialSigner(service: "finance", key: outsider).token(for: "canary")
            let denied = try await TestHTTP.get(url, headers: [("x-kisum-service-token", finance)])
            #expect(denied.status == 403)
            #expect(denied.errorCode == "service_not_allowed")

            let valid = try await ServiceCredentialSigner(service: "canary", key: key).token(for: "canary")
            let ok = try await TestHTTP.get(url, headers: [("x-kisum-service-token", valid)])
            #expect(ok.status == 200)
            #expect(try ok.json()["caller"] as? String == "canary")

            // Internal routes do not exist on the public listener.
            let onPublic = try await TestHTTP.get(canary.publicURL + "/internal/v1/whoami", headers: [("x-kisum-service-token", valid)])
            #expect(onPublic.status == 404)

            let metrics = try await TestHTTP.get(canary.managementURL + "/metrics")
            #expect(metrics.body.contains("kisum_service_auth_failures_total{reason=\"caller_not_allowed\"} 1"))
            #expect(canary.logs.lines.contains { $0.contains("service authentication failed") && $0.contains("caller_not_allowed") })
        }
    }

    @Test func metricsParseAsPrometheusText() async throws {
        try await CanaryHarness.with { canary in
            _ = try await TestHTTP.get(canary.publicURL + "/v1/echo")
            _ = try await TestHTTP.get(canary.publicURL + "/v1/nowhere")
            let created = try await TestHTTP.send("POST", canary.publicURL + "/v1/notes", headers: [("content-type", "application/json")], body: #"{"body":"n"}"#)
            #expect(created.status == 200)
            _ = try await TestHTTP.get(canary.managementURL + "/ready")
            let metrics = try await TestHTTP.get(canary.managementURL + "/metrics")
            #expect(metrics.status == 200)
            for name in ["kisum_http_requests_total", "kisum_http_request_duration_seconds_bucket", "kisum_http_requests_in_flight",
                         "kisum_process_start_time_seconds", "kisum_db_query_duration_seconds_bucket", "kisum_db_pool_connections_in_use",
                         "kisum_redis_commands_total", "kisum_redis_breaker_open", "kisum_readiness_check_up"] {
                #expect(metrics.body.contains(name), "\(name) missing")
            }
            #expect(metrics.body.contains(#"kisum_http_requests_total{listener="public",route="/v1/echo",method="GET",status="200"} 1"#))
            let result = try await PromTool.check(metrics.body)
            #expect(result.status == 0, "promtool: \(result.output)")
        }
    }

    @Test func credentialsInRequestsNeverReachTheLogs() async throws {
        try await CanaryHarness.with { canary in
            let jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlc2lnbmF0dXJl"
            _ = try await TestHTTP.send("POST", canary.publicURL + "/v1/echo?token=\(jwt)", headers: [
                ("authorization", "Bearer \(jwt)"), ("cookie", "session=cookie-secret-value"),
                ("content-type", "application/json"), ("x-refresh-token", "refresh-secret-value"),
            ], body: #"{"message":"password=hunter2-secret"}"#)
            #expect(!canary.logs.lines.isEmpty)
            for line in canary.logs.lines {
                for secret in [jwt, "cookie-secret-value", "refresh-secret-value", "hunter2-secret"] {
                    #expect(!line.contains(secret), "\(secret) leaked: \(line)")
                }
            }
        }
    }
}

/// `promtool check metrics`, the reference parser of the Prometheus text format.
enum PromTool {
    static func check(_ text: String) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run("/usr/bin/promtool", ["check", "metrics"], input: text)
    }
}
