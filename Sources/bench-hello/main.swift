// A bare Hummingbird hello-world route, built in release next to the daemons so benchmarks can
// show what the platform's middleware, logging and access layer cost over the framework alone.
// Usage: bench-hello PORT (listens on 127.0.0.1; SIGTERM stops it).
import Foundation
import Hummingbird

guard CommandLine.arguments.count == 2, let port = Int(CommandLine.arguments[1]) else {
    print("usage: bench-hello PORT")
    exit(2)
}
let router = Router()
router.get("/") { _, _ in "ok" }
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
