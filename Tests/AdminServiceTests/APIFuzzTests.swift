import AIService
import BasicService
import FinanceService
import MarketService
import Foundation
import PlatformDaemon
import PlatformTesting
import ServiceAuth
import ServiceWorlds
import Testing
import TouringService
import VenueService

/// Every OpenAPI document fuzzed against its running service (schemathesis, a bounded number of
/// examples per operation, mutating routes included) on a throwaway platform of its own: no
/// 5xx, every status documented, every body as documented. Fails with schemathesis's report.
/// One document at a time, the business backends' too (each on a Core + Auth + backend world, as
/// Acme's owner in Acme): two schemathesis processes at once starve the rest of the suite (a
/// fuzz run beside another took 9× as long, and unrelated tests missed their deadlines).
@Suite(.serialized) struct APIFuzzTests {
    func document(_ service: String, _ name: String) -> URL {
        TestEnvironment.root.appendingPathComponent("Sources/\(service)/OpenAPI/\(name).openapi.yaml")
    }

    func expectClean(_ fuzz: APIFuzz, _ what: String) async throws {
        let (status, output, operations) = try await fuzz.run()
        #expect(operations > 0, "\(what): schemathesis tested nothing:\n\(output.suffix(3000))")
        #expect(status == 0, "\(what): schemathesis found problems:\n\(output.suffix(6000))")
    }

    func service(_ world: PlatformWorld, calling callee: String) -> APIFuzz.Caller {
        .service(name: "admin", key: world.keys["admin"]!.privateBase64, callee: callee, actingUser: "fuzz@kisum.test")
    }

    func user(_ world: PlatformWorld, _ email: String) -> APIFuzz.Caller {
        .user(loginURL: world.auth.publicURL! + "/auth/login", email: email, password: PlatformWorld.password)
    }

    @Test func coreInternalRoutes() async throws {
        try await PlatformWorld.with { world in
            try await expectClean(APIFuzz(document: document("CoreService", "core"), baseURL: world.core.managementURL,
                                          caller: service(world, calling: "core")), "Core")
        }
    }

    @Test func authPublicAndInternalRoutes() async throws {
        try await PlatformWorld.with { world in
            try await expectClean(APIFuzz(document: document("AuthService", "auth"), baseURL: world.auth.publicURL!,
                                          caller: user(world, "ada@acme.test"), excludePaths: "^/internal/"), "Auth public")
            try await expectClean(APIFuzz(document: document("AuthService", "auth"), baseURL: world.auth.managementURL,
                                          caller: service(world, calling: "auth"), includePaths: "^/internal/"), "Auth internal")
        }
    }

    func backend<App: DaemonApplication>(_ app: App.Type, library: String, document name: String) async throws {
        try await BackendWorld.with(app) { world in
            try await expectClean(APIFuzz(document: document(library, name), baseURL: world.backend.publicURL!,
                                          caller: .user(loginURL: world.auth.daemon.publicURL! + "/auth/login", email: "ada@kisum.test",
                                                        password: "pw-pw-pw", org: "acme")), name)
        }
    }

    @Test func basicRoutes() async throws { try await backend(BasicDaemon.self, library: "BasicService", document: "basic") }

    @Test func financeRoutes() async throws { try await backend(FinanceDaemon.self, library: "FinanceService", document: "finance") }

    @Test func marketRoutes() async throws { try await backend(MarketDaemon.self, library: "MarketService", document: "market") }

    @Test func touringRoutes() async throws { try await backend(TouringDaemon.self, library: "TouringService", document: "touring") }

    @Test func venueRoutes() async throws { try await backend(VenueDaemon.self, library: "VenueService", document: "venue") }

    @Test func aiRoutes() async throws { try await backend(AIDaemon.self, library: "AIService", document: "ai") }

    @Test func adminRoutes() async throws {
        try await PlatformWorld.with { world in
            try await expectClean(APIFuzz(document: document("AdminService", "admin"), baseURL: world.admin.publicURL!,
                                          caller: user(world, "root@kisum.test")), "Admin")
        }
    }
}
