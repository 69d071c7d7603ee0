import CoreService
import Foundation
import Testing

@Suite struct EntitlementCalculatorTests {
    let catalog = Catalog(
        modules: ["core_app", "finance", "market", "ai"].map { CatalogModule(key: $0, name: $0, status: .active, version: 1) },
        packages: [CatalogPackage(key: "basic", name: "Basic", status: .active, version: 1, modules: ["core_app", "market"])],
        addons: [CatalogAddon(key: "finance_addon", name: "F", status: .active, version: 1, module: "finance"),
                 CatalogAddon(key: "market_addon", name: "M", status: .retired, version: 2, module: "market"),
                 CatalogAddon(key: "sneaky", name: "S", status: .active, version: 1, module: "core_app")])
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    var lastMonth: Date { now.addingTimeInterval(-30 * 86400) }
    var nextMonth: Date { now.addingTimeInterval(30 * 86400) }

    func compute(_ subscription: CompanySubscription?, _ addons: [CompanyAddon] = []) -> CompanyEntitlements {
        EntitlementCalculator.entitlements(companyID: UUID(), version: 7, catalog: catalog, subscription: subscription,
                                           addons: addons, at: now)
    }

    func basic(_ status: SubscriptionStatus, end: Date? = nil) -> CompanySubscription {
        CompanySubscription(packageKey: "basic", status: status, period: BillingPeriod(start: lastMonth, end: end))
    }

    func addon(_ key: String, _ status: SubscriptionStatus = .active, start: Date? = nil, end: Date? = nil) -> CompanyAddon {
        CompanyAddon(addonKey: key, status: status, period: BillingPeriod(start: start ?? lastMonth, end: end))
    }

    @Test func unionOfEffectivePackageAndAddons() {
        let result = compute(basic(.active), [addon("finance_addon")])
        #expect(result.moduleKeys == ["core_app", "market", "finance"])
        #expect(result.coreAppVisible)
        #expect(result.entitlementVersion == 7)
        #expect(result.modules.first { $0.key == "finance" }?.sources == [.init(type: "addon", key: "finance_addon")])
    }

    @Test func trialingGrantsLikeActive() {
        #expect(compute(basic(.trialing)).coreAppVisible)
    }

    @Test(arguments: [SubscriptionStatus.canceled, .expired, .pastDue])
    func inactiveStatusesGrantNothing(status: SubscriptionStatus) {
        let result = compute(basic(status), [addon("finance_addon", status)])
        #expect(result.modules.isEmpty)
        #expect(!result.coreAppVisible)
    }

    @Test func thePeriodEndDecidesEvenWhenTheStatusSaysActive() {
        let ended = compute(basic(.active, end: now.addingTimeInterval(-1)), [addon("finance_addon", end: now)])
        #expect(ended.modules.isEmpty)
        let future = compute(basic(.active), [addon("finance_addon", start: now.addingTimeInterval(60))])
        #expect(!future.moduleKeys.contains("finance"))
        #expect(future.validUntil == now.addingTimeInterval(60))
    }

    @Test func coreAppOnlyWithAnEffectiveBasic() {
        let withoutBasic = compute(nil, [addon("sneaky"), addon("finance_addon")])
        #expect(!withoutBasic.coreAppVisible)
        #expect(!withoutBasic.moduleKeys.contains("core_app"))
        #expect(withoutBasic.moduleKeys == ["finance"])  // add-ons work without Basic
    }

    @Test func retiredCatalogObjectsStillHonourExistingSubscriptions() {
        #expect(compute(nil, [addon("market_addon")]).moduleKeys == ["market"])
    }

    @Test func validUntilIsTheNextBoundary() {
        let result = compute(basic(.active, end: nextMonth), [addon("finance_addon", end: now.addingTimeInterval(3600))])
        #expect(result.validUntil == now.addingTimeInterval(3600))
        #expect(compute(basic(.active)).validUntil == nil)
    }
}
