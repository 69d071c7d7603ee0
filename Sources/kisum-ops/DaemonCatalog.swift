import AIService
import AdminService
import AuthService
import BasicService
import CanaryService
import CoreService
import FinanceService
import MarketService
import PlatformDaemon
import TouringService
import VenueService

/// Every daemon the platform ships, for commands that act per service.
enum DaemonCatalog {
    static let all: [any (DaemonApplication & LocalDevelopmentHooks).Type] = [
        CoreDaemon.self, AuthDaemon.self, AdminDaemon.self, CanaryDaemon.self,
        BasicDaemon.self, FinanceDaemon.self, MarketDaemon.self, TouringDaemon.self, VenueDaemon.self, AIDaemon.self,
    ]

    static func find(_ name: String) -> (any (DaemonApplication & LocalDevelopmentHooks).Type)? {
        all.first { $0.descriptor.name == name }
    }

    static var names: String { all.map { $0.descriptor.name }.joined(separator: ", ") }
}
