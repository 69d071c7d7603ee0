/// Per daemon, the systemd drop-in that loads its secrets as credentials
/// (`daemons/systemd/kisum@<service>.service.d/credentials.conf`): each secret's file under
/// `/etc/kisum/credentials/<service>/` becomes `/run/credentials/kisum@<service>.service/<name>`,
/// readable by that unit alone — no group shared between daemons.
public struct SystemdCredentials: Sendable {
    public let service: Service

    public init(service: Service) { self.service = service }

    public static let sourceFolder = "/etc/kisum/credentials"

    public var path: String { "daemons/systemd/kisum@\(service.name).service.d/credentials.conf" }

    public func render() -> String {
        var out = GeneratedText.header(comment: "#", what: "kisum@\(service.name)'s secrets as systemd credentials")
        out += "[Service]\n"
        for secret in service.secrets {
            let name = secret.lowercased()
            out += "LoadCredential=\(name):\(Self.sourceFolder)/\(service.name)/\(name)\n"
        }
        return out
    }

    /// Where the daemon reads a secret (`NAME_FILE`) under systemd.
    public static func runtimePath(service: String, secret: String) -> String {
        "/run/credentials/kisum@\(service).service/\(secret.lowercased())"
    }
}
