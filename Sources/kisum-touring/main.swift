import PlatformDaemon
import TouringService

await Daemon.main(TouringDaemon.self)
