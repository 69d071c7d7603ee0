import HTTPTypes
import PlatformKit
import PlatformPostgres
import Prometheus

/// Core's domain errors, as platform errors with stable codes.
enum CoreError {
    static func unknownPackage(_ key: String) -> PlatformError {
        PlatformError(.init("unknown_package", .unprocessableContent), "no package \(key)")
    }

    static func unknownAddon(_ key: String) -> PlatformError {
        PlatformError(.init("unknown_addon", .unprocessableContent), "no add-on \(key)")
    }

    static func unknownModules(_ keys: [String]) -> PlatformError {
        PlatformError(.init("unknown_module", .unprocessableContent), "no module \(keys.joined(separator: ", "))")
    }

    static func versionMismatch(_ kind: String, _ key: String, current: Int) -> PlatformError {
        PlatformError(.init("version_mismatch", .conflict), "\(kind) \(key) was changed meanwhile (now version \(current))")
    }

    static let alreadyExists = PlatformError.Code("already_exists", .conflict)
    static let idempotencyKeyReused = PlatformError.Code("idempotency_key_reused", .unprocessableContent)
    static let idempotencyInProgress = PlatformError.Code("idempotency_in_progress", .conflict)
}
