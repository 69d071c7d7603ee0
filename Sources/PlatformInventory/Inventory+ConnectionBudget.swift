/// PostgreSQL connections an environment's daemons may open at their largest, against what
/// the cluster allows: the sum of every pool must stay below `max_connections` with a reserve.
public struct ConnectionBudget: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let service: String
        /// Instances at the autoscaler's maximum.
        public let instances: Int
        /// Its pool plus the connections it opens outside the pool.
        public let perInstance: Int
        public var total: Int { instances * perInstance }
    }

    /// Connections a daemon opens besides its pool: the readiness probe's own connection and
    /// one in flight while a broken pool is replaced.
    public static let outsidePool = 2
    /// A migration Job per database may run during a rollout.
    public static let perMigration = 1

    public let environment: String
    public let rows: [Row]
    public let migrations: Int
    public let maxConnections: Int
    public let reserved: Int

    public var total: Int { rows.reduce(0) { $0 + $1.total } + migrations }
    public var available: Int { maxConnections - reserved }
    public var fits: Bool { total <= available }
}

extension Inventory {
    /// The connection budget of `environment`.
    public func connectionBudget(in environment: InventoryEnvironment) -> ConnectionBudget {
        let withDatabase = services(in: environment).filter { $0.database != nil }
        // Processes hosting runs one instance of each daemon.
        let rows = withDatabase.map {
            ConnectionBudget.Row(service: $0.name, instances: environment.hosting == .processes ? 1 : $0.replicas.max,
                                 perInstance: $0.dbPool + ConnectionBudget.outsidePool)
        }
        return ConnectionBudget(environment: environment.name, rows: rows, migrations: withDatabase.count * ConnectionBudget.perMigration,
                                maxConnections: environment.postgres.maxConnections, reserved: environment.postgres.reserved)
    }
}
