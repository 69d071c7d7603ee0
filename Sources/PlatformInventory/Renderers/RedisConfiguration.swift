/// An environment's Redis: a cache, never the source of truth — no persistence (nothing to
/// restore: it refills), a memory limit with LRU eviction, protected mode, and one ACL user per
/// service that uses it, limited to its own key prefixes and the commands the platform's client
/// sends. The `default` user is off. Passwords are never here: provisioning appends each user's
/// from the secret store (`#<sha256 of the password>` at the end of its line; rotation:
/// runbooks/secret-rotation.md).
public struct RedisConfiguration: Sendable {
    public let inventory: Inventory
    public let environment: InventoryEnvironment

    public init(inventory: Inventory, environment: InventoryEnvironment) {
        self.inventory = inventory
        self.environment = environment
    }

    /// What the platform's Redis client sends (scripts: INCR, PEXPIRE, PTTL inside EVAL).
    public static let commands = ["get", "set", "del", "eval", "evalsha", "incr", "pexpire", "pttl", "ping", "select", "client|setname"]

    public func settings(aclFile: String) -> String {
        var out = GeneratedText.header(comment: "#", what: "Redis for \(environment.name) (a cache)")
        out += "bind \(environment.hosting == .processes ? (environment.upstreamHost ?? "127.0.0.1") : "0.0.0.0")\n"
        out += "protected-mode yes\nport 6379\n"
        out += "maxmemory \(environment.redisMaxMemory)\nmaxmemory-policy allkeys-lru\n"
        out += "# No persistence: Redis holds nothing that PostgreSQL does not; a restart is a cold cache.\n"
        out += "save \"\"\nappendonly no\n"
        out += "# Users: daemons/redis/\(environment.name).acl (generated with this file; Redis refuses comments there).\n"
        out += "# kisum-operator has every command (diagnosis, ACL changes); each service its own key prefixes.\n"
        out += "aclfile \(aclFile)\n"
        return out
    }

    /// The users file. Redis aborts at start on any line that is not a user, so it carries no
    /// header: the stale check compares it with the inventory like every generated file.
    public func acl() -> String {
        var out = "user default off resetpass -@all\n"
        out += "user kisum-operator on resetpass ~* &* +@all\n"
        for service in inventory.services(in: environment) where service.redis != .none {
            let keys = service.redisKeys.map { "~\($0)" }.joined(separator: " ")
            let commands = Self.commands.map { "+\($0)" }.joined(separator: " ")
            out += "user kisum-\(service.name) on resetpass \(keys) resetchannels -@all \(commands)\n"
        }
        return out
    }
}
