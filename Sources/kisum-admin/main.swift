import AdminService
import PlatformDaemon

await Daemon.main(AdminDaemon.self)
