import AuthService
import PlatformDaemon

await Daemon.main(AuthDaemon.self)
