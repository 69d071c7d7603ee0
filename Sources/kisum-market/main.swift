import MarketService
import PlatformDaemon

await Daemon.main(MarketDaemon.self)
