import AccessControl
import AuthService
import Foundation
import Testing

@Suite struct AccessAggregatorTests {
    let grants = MembershipGrants(companyID: UUID(), companySlug: "acme", membershipID: UUID(), accessVersion: 3,
                                  modules: ["core_app", "finance", "market"],
                                  permissions: ["core_app.projects.read", "finance.invoices.read", "market.listings.write", "nomodule"])

    func entitlements(_ modules: [String], coreAppVisible: Bool) -> CompanyEntitlementsView {
        CompanyEntitlementsView(modules: modules.map { .init(key: $0, sources: [.init(type: "package", key: "basic")]) },
                                coreAppVisible: coreAppVisible, entitlementVersion: 9, validUntil: nil)
    }

    @Test func modulesAreEntitledAndGrantedAndPermissionsFollowThem() {
        let snapshot = AccessAggregator.snapshot(grants: grants, entitlements: entitlements(["core_app", "finance", "ai"], coreAppVisible: true))
        #expect(snapshot.modules.map(\.key) == ["core_app", "finance"])  // ai not granted, market not entitled
        #expect(snapshot.permissions == ["core_app.projects.read", "finance.invoices.read"])
        #expect(snapshot.coreAppVisible)
        #expect(snapshot.accessVersion == 3)
        #expect(snapshot.entitlementVersion == 9)
    }

    @Test func coreAppNeedsCoreToSayItIsVisible() {
        let snapshot = AccessAggregator.snapshot(grants: grants, entitlements: entitlements(["core_app", "finance"], coreAppVisible: false))
        #expect(snapshot.modules.map(\.key) == ["finance"])
        #expect(!snapshot.coreAppVisible)
        #expect(!snapshot.permissions.contains("core_app.projects.read"))
    }
}
