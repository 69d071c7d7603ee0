import AIService
import PlatformDaemon

await Daemon.main(AIDaemon.self)
