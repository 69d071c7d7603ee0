@testable import AdminService
import Foundation
import PlatformKit
import Testing

@Suite struct AdminUnitTests {
    @Test func platformRolesMapToPermissions() {
        #expect(PlatformRole.permissions(of: []).isEmpty)
        #expect(PlatformRole.permissions(of: ["owner", "platform_superuser"]).isEmpty)
        let viewer = PlatformRole.permissions(of: ["platform_viewer"])
        #expect(viewer.contains(.catalogRead) && viewer.contains(.auditRead) && !viewer.contains(.catalogWrite))
        let operatorRole = PlatformRole.permissions(of: ["platform_operator"])
        #expect(operatorRole.isSuperset(of: viewer) && operatorRole.contains(.sessionsRevoke) && !operatorRole.contains(.keysRotate))
        #expect(PlatformRole.permissions(of: ["platform_admin"]) == Set(AdminPermission.allCases))
        #expect(PlatformRole.permissions(of: ["platform_viewer", "platform_operator"]) == operatorRole)
    }

    @Test func operationsTargetsParse() {
        #expect(OperationsOverview.targets("auth=http://127.0.0.1:9101/, core=http://127.0.0.1:9102")
            == [.init(name: "auth", url: "http://127.0.0.1:9101"), .init(name: "core", url: "http://127.0.0.1:9102")])
        #expect(OperationsOverview.targets("auth") == nil)
        #expect(OperationsOverview.targets("auth=ftp://x") == nil)
        #expect(OperationsOverview.targets("")?.isEmpty == true)
    }

    @Test func metricSummaryReadsTheNumbersOnCallLooksAt() {
        let text = """
            # HELP kisum_http_requests_total x
            kisum_http_requests_total{listener="public",route="/a",method="GET",status="200"} 90
            kisum_http_requests_total{listener="public",route="/a",method="GET",status="503"} 10
            kisum_http_request_duration_seconds_bucket{listener="public",route="/a",method="GET",le="0.01"} 50
            kisum_http_request_duration_seconds_bucket{listener="public",route="/a",method="GET",le="0.1"} 99
            kisum_http_request_duration_seconds_bucket{listener="public",route="/a",method="GET",le="+Inf"} 100
            kisum_auth_access_cache_total{outcome="hit"} 30
            kisum_auth_access_cache_total{outcome="miss"} 10
            kisum_redis_breaker_open 0
            """
        let summary = MetricSummary(PrometheusSample.parse(text))
        #expect(summary.requests == 100 && summary.serverErrors == 10)
        #expect(abs((summary.p50MS ?? 0) - 10) < 0.001)
        #expect(abs((summary.p99MS ?? 0) - 100) < 0.001)
        #expect(summary.cacheHitRatio == 0.75)
        #expect(summary.redisBreakerOpen == false)
        #expect(summary.databasePoolInUse == nil)
    }
}
