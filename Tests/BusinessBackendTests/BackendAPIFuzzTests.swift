import BasicService
import FinanceService
import Foundation
import PlatformDaemon
import PlatformTesting
import ServiceWorlds
import Testing

/// Each business backend's OpenAPI document fuzzed against the running backend (schemathesis,
/// as for Core, Auth and Admin) as Acme's owner in Acme: no 5xx, every status documented,
/// every body as documented. One at a time, beside the rest of the suite.
@Suite(.serialized) struct BackendAPIFuzzTests {
    func fuzz<App: DaemonApplication>(_ app: App.Type, library: String, document: String) async throws {
        try await BackendWorld.with(app) { world in
            let fuzz = APIFuzz(document: TestEnvironment.root.appendingPathComponent("Sources/\(library)/OpenAPI/\(document).openapi.yaml"),
                               baseURL: world.backend.publicURL!,
                               caller: .user(loginURL: world.auth.daemon.publicURL! + "/auth/login", email: "ada@kisum.test",
                                             password: "pw-pw-pw", org: "acme"))
            let (status, output, operations) = try await fuzz.run()
            #expect(operations > 0, "\(document): schemathesis tested nothing:\n\(output.suffix(3000))")
            #expect(status == 0, "\(document): schemathesis found problems:\n\(output.suffix(6000))")
        }
    }

    @Test(.timeLimit(.minutes(5))) func basic() async throws {
        try await fuzz(BasicDaemon.self, library: "BasicService", document: "basic")
    }

    @Test(.timeLimit(.minutes(5))) func finance() async throws {
        try await fuzz(FinanceDaemon.self, library: "FinanceService", document: "finance")
    }
}
