import PlatformKit

/// The configuration of service-to-service authentication for one daemon.
public enum ServiceAuthSettings {
    /// `INTERNAL_SIGNING_KEY` (this service's Ed25519 key, for outgoing calls) and
    /// `INTERNAL_TRUSTED_KEYS` (callers' public keys, for internal routes).
    public static func configKeys(signs: Bool, verifies: Bool) -> [ConfigKey] {
        var keys: [ConfigKey] = []
        if signs {
            keys.append(ConfigKey("INTERNAL_SIGNING_KEY", .string, .required, secret: true,
                                  summary: "This service's Ed25519 private key (base64 raw 32 bytes) for service credentials"))
        }
        if verifies {
            keys.append(ConfigKey("INTERNAL_TRUSTED_KEYS", .string, .required,
                                  summary: "Callers' Ed25519 public keys: caller=base64[,caller=base64] (two per caller during rotation)"))
        }
        return keys
    }
}
