import Foundation
import PlatformDaemon
import HTTPTypes
import PlatformKit

extension CanaryDaemon: LocalDevelopmentHooks {
    /// The local canary relays to itself.
    public static func localEnvironment(topology: LocalTopology) -> [String: String] {
        guard let own = topology.managementURLs[descriptor.name] else { return [:] }
        return ["CANARY_PEER_URL": own]
    }

    /// One demo note, written once.
    public static func seedDemoData(topology: LocalTopology, state: URL) async throws {
        let marker = state.appendingPathComponent("run/canary.seeded")
        guard !FileManager.default.fileExists(atPath: marker.path), let base = topology.publicURLs[descriptor.name] else { return }
        let reply = try await ServiceHTTPClient(callee: descriptor.name, baseURL: base)
            .send(.post, "/v1/notes", json: ["body": "hello from ./kisum up"])
        guard reply.status == 200 else { throw SeedError(message: "canary answered \(reply.status)") }
        _ = FileManager.default.createFile(atPath: marker.path, contents: Data())
    }
}

struct SeedError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
