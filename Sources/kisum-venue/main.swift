import PlatformDaemon
import VenueService

await Daemon.main(VenueDaemon.self)
