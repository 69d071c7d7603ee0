import CoreService
import PlatformDaemon

await Daemon.main(CoreDaemon.self)
