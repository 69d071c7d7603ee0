import BasicService
import PlatformDaemon

await Daemon.main(BasicDaemon.self)
