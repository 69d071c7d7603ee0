/// One daemon instance the console watches, from the environment's service inventory.
public struct Target: Sendable, Hashable, Codable {
    /// The service (`auth`, `finance`, …).
    public let service: String
    /// The instance within the service (`local`, a host or pod name).
    public let instance: String
    /// Its management listener (`/health`, `/ready`, `/metrics`).
    public let managementURL: String
    /// Its public listener, when it has one.
    public let publicURL: String?

    public init(service: String, instance: String = "local", managementURL: String, publicURL: String? = nil) {
        self.service = service
        self.instance = instance
        self.managementURL = managementURL
        self.publicURL = publicURL
    }

    /// `service/instance`, the key the console's views use.
    public var id: String { "\(service)/\(instance)" }

    enum CodingKeys: String, CodingKey {
        case service, instance
        case managementURL = "management_url"
        case publicURL = "public_url"
    }
}
