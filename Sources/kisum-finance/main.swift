import FinanceService
import PlatformDaemon

await Daemon.main(FinanceDaemon.self)
