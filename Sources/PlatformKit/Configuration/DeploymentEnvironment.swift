/// The environment a daemon runs in (`KISUM_ENV`).
///
/// Only `local` may fall back to development defaults for security-sensitive settings.
public enum DeploymentEnvironment: String, Sendable, CaseIterable, Codable {
    case local
    case dev
    case staging
    case production

    /// Whether development defaults may be used for settings that are security sensitive.
    public var allowsDevelopmentDefaults: Bool { self == .local }
}
