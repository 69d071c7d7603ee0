import Foundation
import PlatformKit

/// Validation of the keys administrators type: role keys, module keys and permission keys
/// (`module.action…`, the first segment naming the module).
enum AccessKeys {
    static let systemRoles: Set<String> = ["owner", "admin", "member", "viewer"]

    static func role(_ key: String) throws {
        guard key.range(of: "^[a-z][a-z0-9_-]{1,62}$", options: .regularExpression) != nil else {
            throw PlatformError(.validationFailed, "role key \(key.debugDescription) is not 2-63 of a-z, 0-9, _ and -")
        }
    }

    static func modules(_ keys: [String]) throws {
        guard keys.count <= 100 else { throw PlatformError(.validationFailed, "at most 100 modules") }
        for key in keys where key.range(of: "^[a-z][a-z0-9_]{0,62}$", options: .regularExpression) == nil {
            throw PlatformError(.validationFailed, "module key \(key.debugDescription) is not valid")
        }
    }

    static func permissions(_ keys: [String]) throws {
        guard keys.count <= 500 else { throw PlatformError(.validationFailed, "at most 500 permissions") }
        for key in keys where key.range(of: "^[a-z][a-z0-9_]{0,62}(\\.[a-z0-9_]{1,62}){1,4}$", options: .regularExpression) == nil {
            throw PlatformError(.validationFailed, "permission \(key.debugDescription) is not module.action")
        }
    }

    static func reason(_ reason: String?) throws {
        guard (reason ?? "").count <= 500 else { throw PlatformError(.validationFailed, "reason is at most 500 characters") }
    }
}
