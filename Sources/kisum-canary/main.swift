import CanaryService
import PlatformDaemon

await Daemon.main(CanaryDaemon.self)
