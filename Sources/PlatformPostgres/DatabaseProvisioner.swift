import Foundation

/// Creates a service's database with two roles: `<db>_migrator`, which owns the schema and
/// runs migrations, and `<db>_app`, the daemon's runtime role, which may read and write rows
/// but cannot create, alter or drop anything. Idempotent: safe to run again (passwords are reset).
public struct DatabaseProvisioner: Sendable {
    /// The two roles of one database.
    public struct Roles: Sendable, Equatable {
        public let migrator: String
        public let runtime: String
    }

    /// A superuser (or `CREATEDB CREATEROLE`) connection to the cluster's `postgres` database.
    public let admin: PostgresSettings

    public init(admin: PostgresSettings) {
        self.admin = admin
    }

    public static func roles(for database: String) -> Roles {
        Roles(migrator: "\(database)_migrator", runtime: "\(database)_app")
    }

    /// Creates or updates `database` and its roles (blocking).
    @discardableResult
    public func provision(database: String, migratorPassword: String, runtimePassword: String) throws -> Roles {
        guard Self.isIdentifier(database) else {
            throw DatabaseCommandError(sqlState: nil, message: "database names are lowercase letters, digits and _ only")
        }
        let roles = Self.roles(for: database)
        let cluster = try LibPQConnection(settings: admin)
        for (role, password) in [(roles.migrator, migratorPassword), (roles.runtime, runtimePassword)] {
            let exists = try cluster.execute("SELECT 1 FROM pg_roles WHERE rolname = $1", parameters: [role])
            let verb = exists.isEmpty ? "CREATE" : "ALTER"
            try cluster.execute("\(verb) ROLE \(role) LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD \(Self.literal(password))")
        }
        let databaseExists = try cluster.execute("SELECT 1 FROM pg_database WHERE datname = $1", parameters: [database])
        if databaseExists.isEmpty {
            try cluster.execute("CREATE DATABASE \(database) OWNER \(roles.migrator) ENCODING 'UTF8'")
        }
        let target = try LibPQConnection(settings: admin.with(database: database))
        try target.execute("""
            REVOKE ALL ON DATABASE \(database) FROM PUBLIC;
            GRANT CONNECT, TEMPORARY ON DATABASE \(database) TO \(roles.runtime);
            ALTER SCHEMA public OWNER TO \(roles.migrator);
            REVOKE ALL ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO \(roles.runtime);
            ALTER DEFAULT PRIVILEGES FOR ROLE \(roles.migrator) IN SCHEMA public
                GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO \(roles.runtime);
            ALTER DEFAULT PRIVILEGES FOR ROLE \(roles.migrator) IN SCHEMA public
                GRANT USAGE, SELECT ON SEQUENCES TO \(roles.runtime);
            ALTER DEFAULT PRIVILEGES FOR ROLE \(roles.migrator) IN SCHEMA public
                GRANT EXECUTE ON FUNCTIONS TO \(roles.runtime);
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(roles.runtime);
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \(roles.runtime);
            """)
        return roles
    }

    static func isIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 40 && name.first!.isLetter
            && name.allSatisfy { ($0.isASCII && $0.isLowercase) || $0.isNumber || $0 == "_" }
    }

    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
