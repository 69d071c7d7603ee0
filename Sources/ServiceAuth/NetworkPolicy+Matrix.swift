// Generated from daemons/inventory.yml by `kisum-ops inventory generate`: the network matrix.
// Do not edit; `./kisum test` fails while this file is stale.

extension NetworkPolicy {
    /// Callers allowed per callee (the inventory's `callers`). Anything not listed is denied.
    public static let allowedCallers: [String: Set<String>] = [
        "core": ["auth", "admin"],
        "auth": ["admin", "core", "canary", "basic", "finance", "market", "touring", "venue", "ai"],
        "admin": [],
        "canary": ["canary", "admin"],
        "basic": [],
        "finance": [],
        "market": [],
        "touring": [],
        "venue": [],
        "ai": [],
    ]
}
